// The bridge between the sandboxed renderer and main: `window.studio`, one function per verb of
// the studio contract plus `onEvent`. Nothing raw crosses: no ipcRenderer, no channel names, no
// IpcRendererEvent (its `sender` would hand the page ipcRenderer back).
//
// Sandboxed preloads can require only 'electron' and a few built-ins, so this file imports the
// contract for its types only (the contract module pulls in zod). The channel table below is
// typed against the contract: a renamed or added verb fails the typecheck here.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type {
  STUDIO_EVENT_CHANNEL,
  StudioApi,
  StudioEvent,
  StudioVerb,
  VerbRequest,
  VerbResponse,
  studioContract,
} from '../shared/studio-contract';

const CHANNELS: { readonly [V in StudioVerb]: (typeof studioContract)[V]['channel'] } = {
  getInfo: 'studio:info',
  startTraining: 'training:start',
  pauseTraining: 'training:pause',
  resumeTraining: 'training:resume',
  stopTraining: 'training:stop',
  evaluate: 'model:evaluate',
  predict: 'model:predict',
  exportModel: 'model:export',
  loadModel: 'model:load',
  chooseDatasetFolder: 'dialog:choose-dataset',
  chooseExportFolder: 'dialog:choose-export',
};
const EVENT_CHANNEL: typeof STUDIO_EVENT_CHANNEL = 'studio:event';

/** Calls a verb; main validates the payload (the preload is no security boundary for it). */
function invoke<V extends StudioVerb>(
  verb: V,
  ...payload: [VerbRequest<V>] | []
): Promise<VerbResponse<V>> {
  return ipcRenderer.invoke(CHANNELS[verb], ...payload);
}

const api: StudioApi = {
  getInfo: () => invoke('getInfo'),
  startTraining: (config) => invoke('startTraining', config),
  pauseTraining: () => invoke('pauseTraining'),
  resumeTraining: () => invoke('resumeTraining'),
  stopTraining: () => invoke('stopTraining'),
  evaluate: (request) => invoke('evaluate', request),
  predict: (inputs) => invoke('predict', inputs),
  exportModel: (request) => invoke('exportModel', request),
  loadModel: (request) => invoke('loadModel', request),
  chooseDatasetFolder: () => invoke('chooseDatasetFolder'),
  chooseExportFolder: () => invoke('chooseExportFolder'),
  onEvent(listener) {
    const relay = (_event: IpcRendererEvent, payload: StudioEvent): void => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, relay);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, relay);
    };
  },
};

contextBridge.exposeInMainWorld('studio', api);
