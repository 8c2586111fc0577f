// Something that watches a training run without being part of the loop: it sees every event
// the trainer emits and, at each epoch end, the model with that epoch's weights. The trainer
// calls observers at those two points only; what they do (TensorBoard logs, say) stays theirs.
import type * as tf from '@tensorflow/tfjs-node';
import type { TrainingEvent } from '../shared/engine-protocol';

export type EpochEvent = Extract<TrainingEvent, { kind: 'epoch' }>;

export interface TrainingObserver {
  /** Every event, as it is emitted (batch events throttled as progress is). */
  onEvent?(event: TrainingEvent): void;
  /** After each completed epoch, with the layers model holding that epoch's weights. */
  onEpochEnd?(event: EpochEvent, model: tf.LayersModel): void;
  /** The run is over (done, stopped or failed). */
  close?(): void;
}

/**
 * Calls every observer, and keeps a failing one from stopping the training: its error is
 * reported once through `warn` and that observer is dropped.
 */
export function observerGroup(
  observers: readonly TrainingObserver[],
  warn: (message: string) => void,
): Required<TrainingObserver> {
  const live = new Set(observers);
  const each = (call: (o: TrainingObserver) => void) => {
    for (const o of live) {
      try {
        call(o);
      } catch (err) {
        live.delete(o);
        warn(`a training observer failed and was turned off (${(err as Error).message})`);
      }
    }
  };
  return {
    onEvent: (event) => each((o) => o.onEvent?.(event)),
    onEpochEnd: (event, model) => each((o) => o.onEpochEnd?.(event, model)),
    close: () => each((o) => o.close?.()),
  };
}
