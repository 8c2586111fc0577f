// The training loop. It runs inside the engine process, batch by batch, yielding to the event
// loop between batches so that pause/stop requests arrive while it trains.
import * as tf from '@tensorflow/tfjs-node';
import type { TrainingEvent, TrainSummary } from '../../shared/engine-protocol';
import { learningRateAt } from '../../shared/lr-schedule';
import { createRng, shuffledIndices } from '../../shared/random';
import { createThrottle, etaSeconds } from '../../shared/throttle';
import type { TrainingConfig } from '../../shared/training-config';
import type { DatasetTensors } from './dataset-tensors';
import { evaluateSplit } from './evaluate';
import { createStepRunner } from './train-step';

/** At most ~10 batch events per second: enough for a live chart, cheap for the engine. */
export const BATCH_EVENT_INTERVAL_MS = 100;

/** Pause / resume / stop, requested from outside and honoured at batch boundaries. */
export class TrainingControl {
  private stopRequested = false;
  private pauseRequested = false;
  private wake: (() => void) | undefined;

  get stopping(): boolean {
    return this.stopRequested;
  }
  get paused(): boolean {
    return this.pauseRequested;
  }
  stop(): void {
    this.stopRequested = true;
    this.wake?.();
  }
  pause(): void {
    this.pauseRequested = true;
  }
  resume(): void {
    this.pauseRequested = false;
    this.wake?.();
  }
  /** Resolves when it is time to go on (not paused, or stopping). */
  waitWhilePaused(): Promise<void> {
    if (!this.pauseRequested || this.stopRequested) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = () => {
        if (!this.pauseRequested || this.stopRequested) {
          this.wake = undefined;
          resolve();
        }
      };
    });
  }
}

export interface TrainOptions {
  config: TrainingConfig;
  model: tf.LayersModel;
  data: DatasetTensors;
  control: TrainingControl;
  emit: (event: TrainingEvent) => void;
  /** Milliseconds clock, injectable for tests. */
  now?: () => number;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function train(options: TrainOptions): Promise<TrainSummary> {
  const { config, model, data, control, emit } = options;
  const now = options.now ?? (() => performance.now());
  const { batchSize, epochs } = config;
  const trainCount = data.train.count;
  const batchesPerEpoch = Math.ceil(trainCount / batchSize);
  const totalSteps = batchesPerEpoch * epochs;
  const params = model.countParams();
  const rng = createRng(config.seed);
  const { runner, fallbackReason } = createStepRunner(model, config);
  const throttle = createThrottle(BATCH_EVENT_INTERVAL_MS);

  emit({
    kind: 'train-started',
    epochs,
    batchesPerEpoch,
    trainSamples: trainCount,
    validationSamples: data.validation?.count ?? 0,
    testSamples: data.test.count,
    params,
    config,
  });
  emit({
    kind: 'log',
    level: 'info',
    message:
      runner.kind === 'native'
        ? 'training with TensorFlow native kernels'
        : `training on the portable tfjs path (${fallbackReason})`,
  });

  const started = now();
  let trainedSamples = 0;
  let epochsCompleted = 0;
  let batchesInLastEpoch = 0;
  let finalTrainLoss: number | null = null;
  let step = 0;

  try {
    for (let epoch = 0; epoch < epochs && !control.stopping; epoch++) {
      const epochStart = now();
      const order = tf.tensor1d(shuffledIndices(trainCount, rng), 'int32');
      // Running sums stay in TensorFlow; they are read only when an event is due.
      let lossSum = tf.scalar(0);
      let correctSum = tf.scalar(0);
      let seen = 0;
      let batch = 0;
      let epochTotals: { loss: number; accuracy: number; seen: number } | null = null;
      try {
        for (; batch < batchesPerEpoch; batch++) {
          if (control.paused) {
            emit({ kind: 'paused', epoch, batch });
            await control.waitWhilePaused();
            if (!control.stopping) emit({ kind: 'resumed', epoch, batch });
          }
          if (control.stopping) break;

          const start = batch * batchSize;
          const size = Math.min(batchSize, trainCount - start);
          const learningRate = learningRateAt(config, step, totalSteps);
          const result = tf.tidy(() => {
            const idx = order.slice(start, size);
            const x = tf.gather(data.train.x, idx);
            const y = tf.gather(data.train.y, idx);
            const step = runner.step(x, y, learningRate);
            return {
              nextLoss: lossSum.add(step.lossSum) as tf.Scalar,
              nextCorrect: correctSum.add(step.correct) as tf.Scalar,
            };
          });
          lossSum.dispose();
          correctSum.dispose();
          lossSum = result.nextLoss;
          correctSum = result.nextCorrect;
          seen += size;
          step++;
          trainedSamples += size;

          const t = now();
          if (throttle.due(t) || batch === batchesPerEpoch - 1) {
            const elapsed = (t - started) / 1000;
            const loss = lossSum.dataSync()[0] as number;
            const correct = correctSum.dataSync()[0] as number;
            emit({
              kind: 'batch',
              epoch,
              batch,
              batchesPerEpoch,
              loss: loss / seen,
              accuracy: correct / seen,
              learningRate,
              samplesPerSecond: trainedSamples / Math.max(elapsed, 1e-9),
              elapsedSeconds: elapsed,
              etaSeconds: etaSeconds(step, totalSteps, elapsed),
            });
          }
          await yieldToEventLoop();
        }

        batchesInLastEpoch = batch;
        if (seen > 0) {
          epochTotals = {
            loss: (lossSum.dataSync()[0] as number) / seen,
            accuracy: (correctSum.dataSync()[0] as number) / seen,
            seen,
          };
        }
      } finally {
        tf.dispose([order, lossSum, correctSum]);
      }
      // The layers model gets the trained weights for validation, prediction and export.
      runner.copyToModel();
      if (epochTotals) {
        finalTrainLoss = epochTotals.loss;
        if (batch === batchesPerEpoch) epochsCompleted++;
        const val = data.validation ? evaluateSplit(model, data.validation) : null;
        const seconds = (now() - epochStart) / 1000;
        emit({
          kind: 'epoch',
          epoch,
          epochs,
          loss: epochTotals.loss,
          accuracy: epochTotals.accuracy,
          valLoss: val?.testLoss ?? null,
          valAccuracy: val?.testAccuracy ?? null,
          seconds,
          samplesPerSecond: epochTotals.seen / Math.max(seconds, 1e-9),
          // Measured once this epoch's own tensors are gone: constant across epochs when
          // nothing leaks.
          numTensors: tf.memory().numTensors,
        });
      }
    }
  } finally {
    // Optimizer slots (Adam moments) and native variables belong to this run only.
    runner.dispose();
  }

  const trainSeconds = (now() - started) / 1000;
  const test = evaluateSplit(model, data.test);
  const summary: TrainSummary = {
    stopped: control.stopping,
    epochs: epochsCompleted,
    batchesInLastEpoch,
    trainSamples: trainCount,
    validationSamples: data.validation?.count ?? 0,
    testSamples: data.test.count,
    trainSeconds,
    samplesPerSecond: trainedSamples / Math.max(trainSeconds, 1e-9),
    testLoss: test.testLoss,
    testAccuracy: test.testAccuracy,
    finalTrainLoss,
    params,
  };
  emit({ kind: 'train-done', summary });
  return summary;
}
