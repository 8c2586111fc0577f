// The bridge between the sandboxed renderer and main: `window.studio`, one function per verb of
// the studio contract plus `onEvent`. Nothing raw crosses: no ipcRenderer, no channel names, no
// IpcRendererEvent (its `sender` would hand the page ipcRenderer back).
//
// Sandboxed preloads can require only 'electron' and a few built-ins: this file bundles the
// zod-free channel table (src/shared/studio-channels.ts) and takes only types from the contract,
// so every verb of the contract is bridged without a hand-kept list.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  progressSubscriber,
  STUDIO_CHANNELS,
  STUDIO_EVENT_CHANNEL,
} from '../shared/studio-channels';
import type { StudioApi, StudioEvent } from '../shared/studio-contract';

// Main validates every payload against the contract (the preload is no security boundary).
const verbs = Object.fromEntries(
  Object.entries(STUDIO_CHANNELS).map(([verb, channel]) => [
    verb,
    (payload?: unknown) => ipcRenderer.invoke(channel, payload),
  ]),
) as unknown as Omit<StudioApi, 'onEvent' | 'onProgress'>; // one function per verb, built from the table above

function onEvent(listener: (event: StudioEvent) => void): () => void {
  const relay = (_event: IpcRendererEvent, payload: StudioEvent): void => listener(payload);
  ipcRenderer.on(STUDIO_EVENT_CHANNEL, relay);
  return () => {
    ipcRenderer.removeListener(STUDIO_EVENT_CHANNEL, relay);
  };
}

const api: StudioApi = {
  ...verbs,
  onEvent,
  onProgress: progressSubscriber(onEvent),
};

contextBridge.exposeInMainWorld('studio', api);
