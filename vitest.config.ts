import { defineConfig } from 'vitest/config';

// One command runs everything: unit tests (test/**), engine integration tests that fork the
// real tfjs-node engine, and the Playwright end-to-end specs (test/e2e). Files run one at a
// time: the machine has 2 cores and several tests train real models.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    reporters: ['default'],
  },
});
