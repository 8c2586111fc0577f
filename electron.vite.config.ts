import { resolve } from 'node:path';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { CSP_PLACEHOLDER, rendererMetaPolicy } from './src/shared/content-security-policy';

/**
 * Writes the renderer's CSP into index.html's <meta> tag from its one definition; the dev
 * server gets the variant that lets Vite's inline styles and HMR socket work. A page without
 * the placeholder fails the build rather than ship without a policy.
 */
export function rendererCsp(): Plugin {
  let dev = false;
  return {
    name: 'lenet-studio:renderer-csp',
    configResolved(config) {
      dev = config.command === 'serve';
    },
    transformIndexHtml: {
      // Before Vite's own %ENV% replacement, which would otherwise warn about the placeholder.
      order: 'pre',
      handler(html) {
        if (!html.includes(CSP_PLACEHOLDER)) {
          throw new Error(`index.html has no ${CSP_PLACEHOLDER} for its Content-Security-Policy`);
        }
        return html.replace(CSP_PLACEHOLDER, rendererMetaPolicy(dev));
      },
    },
  };
}

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          // The engine's twin thread (src/engine/twin-thread.ts looks for it beside the engine's
          // chunk, or one folder up): a worker entry of its own.
          'twin-worker': resolve(__dirname, 'src/engine/twin-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        // Sandboxed preloads cannot be ES modules (package.json says "type": "module", so the
        // default would be ESM): one CommonJS file, .cjs so Node never reads it as ESM.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
      // The preload builds its verbs from the operation table, which needs zod; a sandboxed
      // preload cannot require packages, so zod is bundled in rather than left external.
      externalizeDeps: { exclude: ['zod'] },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/renderer/index.html') },
      },
    },
    plugins: [vue(), rendererCsp()],
  },
});
