// What each verb of the studio contract does, on top of an engine host. Shared by Electron
// main (behind the IPC registrar) and the browser-mode server (behind the WebSocket), so the two
// transports cannot drift apart. Payloads arrive here already validated against the contract.
import { app } from '../shared/app-info';
import type { EngineHost } from './engine-host';
import type {
  StudioEvent,
  StudioVerb,
  VerbRequestParsed,
  VerbResponse,
} from '../shared/studio-contract';

export interface StudioDialogs {
  chooseFolder(purpose: 'dataset' | 'export' | 'model'): Promise<string | null>;
}

export type StudioHandlers = {
  [V in StudioVerb]: (payload: VerbRequestParsed<V>) => Promise<VerbResponse<V>>;
};

export interface StudioBackend {
  handlers: StudioHandlers;
  onEvent(listener: (event: StudioEvent) => void): () => void;
}

export function createStudioBackend(
  host: EngineHost,
  hostKind: 'electron' | 'browser',
  dialogs: StudioDialogs | null,
): StudioBackend {
  const handlers: StudioHandlers = {
    getInfo: async () => ({
      engine: await host.request({ type: 'info' }),
      host: hostKind,
      appVersion: app.version,
    }),
    startTraining: (config) => host.request({ type: 'train', config }),
    pauseTraining: () => host.request({ type: 'pause' }),
    resumeTraining: () => host.request({ type: 'resume' }),
    stopTraining: () => host.request({ type: 'stop' }),
    evaluate: (req) =>
      host.request({
        type: 'evaluate',
        dataset: req.dataset ?? { kind: 'bundled' },
        testLimit: req.testLimit,
      }),
    predict: (inputs) => host.request({ type: 'predict', inputs }),
    exportModel: ({ dir, singleFile }) => host.request({ type: 'save-model', dir, singleFile }),
    loadModel: ({ dir }) => host.request({ type: 'load-model', dir }),
    listRuns: () => host.request({ type: 'list-runs' }),
    runMetrics: ({ runId }) => host.request({ type: 'run-metrics', runId }),
    renameRun: ({ runId, name }) => host.request({ type: 'rename-run', runId, name }),
    deleteRun: ({ runId }) => host.request({ type: 'delete-run', runId }),
    loadRun: ({ runId }) => host.request({ type: 'load-run', runId }),
    resumeRun: ({ runId }) => host.request({ type: 'resume-run', runId }),
    chooseDatasetFolder: async () => (dialogs ? dialogs.chooseFolder('dataset') : null),
    chooseExportFolder: async () => (dialogs ? dialogs.chooseFolder('export') : null),
    chooseModelFile: async () => (dialogs ? dialogs.chooseFolder('model') : null),
  };
  return { handlers, onEvent: (listener) => host.onEvent(listener) };
}
