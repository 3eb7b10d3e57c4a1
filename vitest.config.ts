import { defineConfig } from 'vitest/config';

// Two tiers, both run by `npm test` and CI: `fast` (no training; seconds) and `slow` (real training
// on the native backend; files named *.slow.test.ts). Forked processes, because tfjs-node is a
// native addon with process-wide thread pools.
export default defineConfig({
  test: {
    pool: 'forks',
    projects: [
      {
        test: {
          name: 'fast',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: ['test/**/*.slow.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'slow',
          include: ['test/**/*.slow.test.ts'],
          testTimeout: 900_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
