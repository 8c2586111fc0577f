import type { ProgressEvent, StudioApi } from './studio-contract';

// The channel of each studio verb. Kept free of imports (no zod) so that the sandboxed
// preload can bundle it; studio-contract.ts attaches the schemas to these same names.
export const STUDIO_CHANNELS = {
  getInfo: 'studio:info',
  startTraining: 'training:start',
  pauseTraining: 'training:pause',
  resumeTraining: 'training:resume',
  stopTraining: 'training:stop',
  evaluate: 'model:evaluate',
  predict: 'model:predict',
  exportModel: 'model:export',
  loadModel: 'model:load',
  listRuns: 'runs:list',
  runMetrics: 'runs:metrics',
  renameRun: 'runs:rename',
  deleteRun: 'runs:delete',
  loadRun: 'runs:load',
  resumeRun: 'runs:resume',
  chooseDatasetFolder: 'dialog:choose-dataset',
  chooseExportFolder: 'dialog:choose-export',
  chooseModelFile: 'dialog:choose-model',
} as const;

export type StudioVerb = keyof typeof STUDIO_CHANNELS;

/** Events pushed from the host to the UI. */
export const STUDIO_EVENT_CHANNEL = 'studio:event';

/** onProgress in terms of onEvent, for every StudioApi implementation (preload, WebSocket). */
export function progressSubscriber(onEvent: StudioApi['onEvent']): StudioApi['onProgress'] {
  return (listener) =>
    onEvent((event) => {
      if (event.kind === 'batch' || event.kind === 'epoch') listener(event as ProgressEvent);
    });
}
