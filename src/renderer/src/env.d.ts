// Ambient types for the renderer. `.vue` imports need no shim: vue-tsc types them itself.
import type { StudioApi } from '../../shared/studio-contract';

declare global {
  interface Window {
    /** Set by the Electron preload (see src/preload/studio.d.ts); absent in browser mode. */
    studio?: StudioApi;
  }
}

export {};
