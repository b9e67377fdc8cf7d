import { defineConfig } from 'vitest/config';

/** The tests Stryker runs (`pnpm mutation`): the ones that exercise the mutated files, no more, so a run fits the machine. */
export default defineConfig({
  test: {
    include: [
      'packages/router/src/auth/*.test.ts',
      'packages/router/src/errors.test.ts',
      'packages/router/src/pagination.test.ts',
      'apps/server/src/rest-adapter.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
