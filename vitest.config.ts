import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts'],
    // Each file makes its own database (a fresh PostgreSQL database or an in-memory PGlite).
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
