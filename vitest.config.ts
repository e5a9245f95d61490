/**
 * `npm test` runs three kinds of tests in one vitest run: unit tests beside pure code
 * (`*.test.ts`), integration tests that start real servers against both stores, and browser
 * tests in headless Chromium (`tests/e2e`).
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'geo/**/*.test.ts', 'seeds/**/*.test.ts', 'client/**/*.test.ts', 'tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    // The JSON report lets .ci/run print a plain "N passed, N failed" closing line.
    reporters: ['default', ['json', { outputFile: 'tests/output/vitest.json' }]],
  },
});
