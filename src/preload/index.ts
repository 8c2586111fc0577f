// The bridge between the sandboxed renderer and main: `window.studio`, one function per
// operation of the table (src/shared/operations.ts) plus `onEvent`. Nothing raw crosses: no
// ipcRenderer, no channel names, no IpcRendererEvent (its `sender` would hand the page
// ipcRenderer back).
//
// Sandboxed preloads can require only 'electron' and a few built-ins, so this file is bundled
// with the table and zod (electron.vite.config.ts keeps zod out of the externalized deps).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { operations } from '../shared/operations';
import {
  buildVerbs,
  progressSubscriber,
  STUDIO_EVENT_CHANNEL,
  type StudioApi,
  type StudioEvent,
} from '../shared/studio-contract';

// Main validates every payload against the table (the preload is no security boundary).
const verbs = buildVerbs((verb, payload) => ipcRenderer.invoke(operations[verb].channel, payload));

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
