/**
 * `npm test` runs three kinds of tests in one vitest run: unit tests beside pure code
 * (`*.test.ts`), integration tests that start real servers against both stores, and browser
 * tests in headless Chromium (`tests/e2e`). Unit and integration files run two at a time (each
 * integration test has a database, a PGlite directory, a port and a cluster name of its own);
 * the browser files, each a Chromium rendering the wall in software, run one at a time after.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The JSON report lets .ci/run print a plain "N passed, N failed" closing line.
    reporters: ['default', ['json', { outputFile: 'tests/output/vitest.json' }]],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit and integration',
          include: ['server/**/*.test.ts', 'geo/**/*.test.ts', 'seeds/**/*.test.ts', 'client/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/support/**/*.test.ts'],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'browser', include: ['tests/e2e/**/*.test.ts'], fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
