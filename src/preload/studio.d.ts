// What the preload puts on the renderer's window. Only renderer/src/services/api.ts should read
// it (and must allow it to be absent: in browser mode there is no preload).
import type { StudioApi } from '../shared/studio-contract';

declare global {
  interface Window {
    studio?: StudioApi;
  }
}

export {};
