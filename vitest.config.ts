import { defineConfig } from 'vitest/config';

/**
 * One vitest run covers every workspace. Workspace packages resolve to their TypeScript sources
 * through the "@parley/source" export condition, so tests never depend on a stale build.
 *
 * Projects:
 *  - unit: pure code, fake clocks, no sockets (`*.test.ts`)
 *  - int:  real sockets on 127.0.0.1:0, real child processes, real browsers (`*.int.test.ts`)
 */
const conditions = ['@parley/source', 'node', 'import', 'module', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@parley/source'] } },
  test: {
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['*/src/**/*.test.ts', '*/test/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**', '**/dist/**'],
          testTimeout: 20_000,
          // Unit tests first, then integration (vitest requires distinct groups when maxWorkers differ).
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'int',
          include: ['*/src/**/*.int.test.ts', '*/test/**/*.int.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Integration suites start servers, coturn and browsers; two cores are shared.
          maxWorkers: 2,
          fileParallelism: true,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
