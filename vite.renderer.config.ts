// Builds only the renderer (for browser mode and its tests), from the renderer section of
// electron.vite.config.ts so the two builds cannot drift: same root, input and plugins, same
// output folder (out/renderer). Used by `npm run serve` and the e2e tests; `electron-vite build`
// still builds all three targets for the desktop app.
import { resolve } from 'node:path';
import { defineConfig, mergeConfig, type UserConfig } from 'vite';
import electronConfig from './electron.vite.config';

const renderer = ((electronConfig as { renderer?: UserConfig }).renderer ?? {}) as UserConfig;

export default defineConfig(
  mergeConfig(renderer, {
    // Relative asset URLs work from file:// (Electron) and from the server's root alike.
    base: './',
    build: {
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      emptyOutDir: true,
      // Chromium supports modulepreload natively; the polyfill would be an inline script.
      modulePreload: { polyfill: false },
      reportCompressedSize: false,
    },
  } satisfies UserConfig),
);
