// A recorded run's batch history: the batch progress points the trainer emits (throttled as the
// progress events are, always the last batch of an epoch), appended to the run's batches.jsonl.
// The trainer's observers are synchronous, so points are gathered and written in whole-line
// appends, one at a time in order: every FLUSH_POINTS points, and whenever the engine drains the
// log (at each epoch end and checkpoint, before the run's result), so what a finished, paused
// or stopped run's Models entry reads is complete. A write that fails is reported once; the
// training goes on (as with metrics.jsonl).
import type { BatchPoint } from '../shared/run-record';
import type { TrainingObserver } from './training-observer';

/** Points gathered before a write: ~2 s of progress at ten points a second. */
export const FLUSH_POINTS = 20;

export interface BatchLog extends TrainingObserver {
  /** Writes what is gathered and waits for every write so far; never rejects. */
  drain(): Promise<void>;
}

export function batchLog(
  append: (points: BatchPoint[]) => Promise<void>,
  warn: (message: string) => void,
): BatchLog {
  let batchSize = 1;
  let trainSamples = 1;
  let pending: BatchPoint[] = [];
  let writes: Promise<void> = Promise.resolve();
  let failed = false;

  const flush = (): Promise<void> => {
    if (pending.length > 0) {
      const points = pending;
      pending = [];
      writes = writes.then(() =>
        append(points).catch((err: unknown) => {
          if (!failed) warn(`the batch history is incomplete (${(err as Error).message})`);
          failed = true;
        }),
      );
    }
    return writes;
  };

  return {
    onEvent(event) {
      if (event.kind === 'train-started') {
        batchSize = event.config.batchSize;
        trainSamples = event.trainSamples;
      }
      if (event.kind === 'paused') void flush();
      if (event.kind !== 'batch') return;
      pending.push({
        epoch: event.epoch,
        batch: event.batch,
        batchesPerEpoch: event.batchesPerEpoch,
        step: event.epoch * event.batchesPerEpoch + event.batch + 1,
        // The trainer's running means cover the epoch's samples so far: whole batches, the
        // last one possibly short.
        seen: Math.min((event.batch + 1) * batchSize, trainSamples),
        loss: event.loss,
        accuracy: event.accuracy,
        learningRate: event.learningRate,
      });
      if (pending.length >= FLUSH_POINTS) void flush();
    },
    close() {
      void flush();
    },
    drain: flush,
  };
}
