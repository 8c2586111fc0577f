// The current model changes only visibly: when a run ends, its model becomes the current one
// and the app says so, where the run is saved, what to do next, and offers the model it
// replaced back in one click (the engine keeps it). Plain TypeScript on the API: tests drive it
// under Node.
import { shallowRef, type ShallowRef } from 'vue';
import type { ModelSummary } from '../../../shared/engine-protocol';
import type { StudioApi } from '../../../shared/studio-contract';
import { errorMessage } from '../ui/error-message';
import { modelLabel } from '../ui/model-label';
import { earlyStopSentence } from '../features/train/run-view';
import type { StudioInfoStore } from './studio-info';

export interface ModelChangeNotice {
  /** e.g. "Training finished: lenet5 · MNIST · 98.91% is now the current model." */
  message: string;
  /** Where the run's checkpoint lives, when it was recorded. */
  savedIn: string | null;
  /** The replaced model, for the "back" button; null when there was none. */
  previous: string | null;
  /** After going back: the button undoes that instead. */
  restored: boolean;
  error: string | null;
}

export interface ModelChangeStore {
  notice: ShallowRef<ModelChangeNotice | null>;
  /** Swaps the current model with the one it replaced (again: swaps back). */
  swapWithPrevious(): Promise<void>;
  dismiss(): void;
}

/** Pure: the notice for a run that just ended, from the engine's info after it. */
export function noticeForFinishedRun(
  stopped: boolean,
  model: ModelSummary | null,
  previous: ModelSummary | null,
  runsDir: string,
  /** What early stopping did, when it did something (earlyStopSentence). */
  detail: string | null = null,
): ModelChangeNotice | null {
  if (!model) return null;
  const ended = stopped ? 'Training stopped' : 'Training finished';
  return {
    message:
      `${ended}: ${modelLabel(model, 'header')} is now the current model.` +
      (detail ? ` ${detail}` : ''),
    savedIn: model.runId ? `${runsDir.replace(/\/+$/, '')}/${model.runId}` : null,
    previous: previous ? modelLabel(previous, 'header') : null,
    restored: false,
    error: null,
  };
}

export function createModelChange(
  api: Pick<StudioApi, 'onEvent' | 'restorePreviousModel'>,
  info: StudioInfoStore,
): ModelChangeStore {
  const notice = shallowRef<ModelChangeNotice | null>(null);

  api.onEvent((event) => {
    if (event.kind === 'train-started') notice.value = null;
    if (event.kind !== 'train-done') return;
    void info.refresh().then(() => {
      const engine = info.info.value?.engine;
      if (!engine) return;
      notice.value = noticeForFinishedRun(
        event.summary.stopped,
        engine.model,
        engine.previousModel,
        engine.runsDir,
        earlyStopSentence(event.summary),
      );
    });
  });

  const swapWithPrevious = async (): Promise<void> => {
    const shown = notice.value;
    if (!shown?.previous) return;
    try {
      const now = await api.restorePreviousModel();
      await info.refresh();
      const before = info.info.value?.engine.previousModel ?? null;
      notice.value = {
        ...shown,
        message: `${shown.restored ? 'Back to' : 'Went back to'} ${modelLabel(now, 'header')}.`,
        previous: before ? modelLabel(before, 'header') : null,
        restored: !shown.restored,
        error: null,
      };
    } catch (error) {
      notice.value = { ...shown, error: errorMessage(error) };
    }
  };

  return { notice, swapWithPrevious, dismiss: () => (notice.value = null) };
}
