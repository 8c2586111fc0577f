import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

// Runs recorded by tests (the engine's default runs folder is under XDG_DATA_HOME) go to a
// temporary folder, never into the user's own run history.
const dataHome = mkdtempSync(path.join(os.tmpdir(), 'lenet-test-data-'));

// One command runs everything: unit tests (test/**), engine integration tests that fork the
// real tfjs-node engine, and the Playwright end-to-end specs (test/e2e). Files run one at a
// time: the machine has 2 cores and several tests train real models.
export default defineConfig({
  // Component tests render .vue files (server-side, under Node: test/renderer/ui, features).
  plugins: [vue()],
  test: {
    include: ['test/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    reporters: ['default'],
    env: { XDG_DATA_HOME: dataHome },
  },
});
