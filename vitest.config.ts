import { defineConfig } from 'vitest/config';

// CI asks for a machine-readable summary too (TEST_REPORT_JSON=<file>).
const jsonReport = process.env.TEST_REPORT_JSON;

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'apps/console/src/**/*.test.tsx'],
    // Each file makes its own database (a fresh PostgreSQL database or an in-memory PGlite).
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: jsonReport ? ['default', ['json', { outputFile: jsonReport }]] : ['default'],
  },
});
