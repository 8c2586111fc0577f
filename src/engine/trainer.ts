// The training loop. It runs inside the engine process, batch by batch, yielding to the event
// loop between batches so that pause/stop requests arrive while it trains.
import * as tf from '@tensorflow/tfjs-node';
import type { TrainingEvent, TrainSummary } from '../shared/engine-protocol';
import { learningRateAt } from '../shared/lr-schedule';
import { createRng, shuffledIndices } from '../shared/random';
import { createThrottle, etaSeconds } from '../shared/throttle';
import type { TrainingConfig } from '../shared/training-config';
import type { DatasetIdentity } from '../shared/dataset-identity';
import { createBatchScratch, gatherBatch, type DatasetTensors } from './dataset-tensors';
import { architectureFor } from './architectures';
import { evaluateSplit } from './evaluate';
import { countPlannedParams, planLayers } from './layers';
import { LOSSES } from './losses';
import { OPTIMIZERS } from './optimizers';
import type { Checkpoint, OptimizerSlots, saveCheckpoint } from './checkpoint';
import { createStepRunner } from './train-step';
import type { TwinThread } from './twin-thread';
import { distortBatch } from './distortions';
import { batchSeed, hasDistortions, type DistortionStrengths } from '../shared/distortion-matrices';

/** The run's distortion strengths, from its options. */
export function distortionsOf(config: TrainingConfig): DistortionStrengths {
  return {
    translate: config.distortTranslate,
    scale: config.distortScale,
    squeeze: config.distortSqueeze,
    shear: config.distortShear,
  };
}
import { observerGroup, type TrainingObserver } from './training-observer';
import { perClassAccuracy } from '../shared/class-metrics';
import type { EarlyStop } from '../shared/run-record';
import { EarlyStopTracker, WeightsCopy } from './early-stopping';

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
  /** Starting weights: fresh from createModel, or a checkpoint's when resuming. */
  model: tf.LayersModel;
  data: DatasetTensors;
  /** What the data is (its name and class names), announced with the run's start. */
  dataset?: DatasetIdentity;
  control: TrainingControl;
  emit: (event: TrainingEvent) => void;
  /** Continue from this checkpoint instead of starting at epoch 0. */
  resume?: Checkpoint;
  /** Called at every epoch end, and on pause and stop, after the model has the weights. */
  onCheckpoint?: (state: CheckpointSnapshot, optimizer: OptimizerSlots) => Promise<void>;
  /** The run folder this training is recorded in, if any. */
  runId?: string | null;
  /** Called with each completed epoch's metrics. */
  onEpoch?: (event: Extract<TrainingEvent, { kind: 'epoch' }>) => Promise<void>;
  /** Milliseconds clock, injectable for tests. */
  now?: () => number;
  /** Watchers of the run (TensorBoard logs): every event, and the model at each epoch end. */
  observers?: readonly TrainingObserver[];
  /** The engine's twin thread, which takes half of each batch (twin-thread.ts), if any. */
  twin?: TwinThread | null;
}

export type CheckpointSnapshot = Parameters<typeof saveCheckpoint>[2];

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function train(options: TrainOptions): Promise<TrainSummary> {
  const { config, model, data, control, resume } = options;
  const observers = observerGroup(options.observers ?? [], (message) =>
    options.emit({ kind: 'log', level: 'warn', message }),
  );
  const emit = (event: TrainingEvent) => {
    options.emit(event);
    observers.onEvent(event);
  };
  const now = options.now ?? (() => performance.now());
  const { batchSize, epochs } = config;
  const trainCount = data.train.count;
  const batchesPerEpoch = Math.ceil(trainCount / batchSize);
  const scratch = createBatchScratch(batchSize);
  const totalSteps = batchesPerEpoch * epochs;
  const arch = architectureFor(config);
  // Trainable parameters as the plan counts them (C3's connections, not the RBF prototypes).
  const params = countPlannedParams(planLayers(arch.layers, arch.input));
  const { runner, fallbackReason } = createStepRunner(model, config, options.twin, (reason) =>
    options.emit({ kind: 'log', level: 'warn', message: `training on one thread: ${reason}` }),
  );
  const loss = LOSSES[arch.loss];
  const throttle = createThrottle(BATCH_EVENT_INTERVAL_MS);
  const strengths = distortionsOf(config);
  const distort = hasDistortions(strengths);
  // SDLM's h_kk: re-estimated before every pass, on the first samples of the pass's order.
  const curvature = OPTIMIZERS[config.optimizer].curvature;

  // Where to start: epoch 0 from the seed, or exactly where a checkpoint left off (the data
  // order of its epoch is re-drawn from the generator state saved at that epoch's start).
  const rng = createRng(resume ? resume.state.epochRngState : config.seed);
  let step = resume?.state.step ?? 0;
  let trainedSamples = resume?.state.trainedSamples ?? 0;
  const elapsedBefore = resume?.state.elapsedSeconds ?? 0;
  const startEpoch = resume?.state.epoch ?? 0;
  if (resume) await runner.importOptimizer(resume.optimizer, step);

  emit({
    kind: 'train-started',
    runId: options.runId ?? null,
    startEpoch,
    epochs,
    batchesPerEpoch,
    trainSamples: trainCount,
    validationSamples: data.validation?.count ?? 0,
    testSamples: data.test.count,
    params,
    config,
    ...(options.dataset ? { dataset: options.dataset } : {}),
  });
  emit({
    kind: 'log',
    level: 'info',
    message:
      runner.kind === 'native'
        ? `training with TensorFlow native kernels${runner.split ? ', half of each batch on a twin thread' : ''}`
        : `training on the portable tfjs path (${fallbackReason})`,
  });
  if (resume) {
    emit({
      kind: 'log',
      level: 'info',
      message: `resumed at epoch ${startEpoch + 1}, batch ${resume.state.batch + 1}`,
    });
  }

  let earlyStopResult: EarlyStop | null = null;
  const started = now();
  const elapsed = () => elapsedBefore + (now() - started) / 1000;
  let epochsCompleted = startEpoch;
  let batchesInLastEpoch = 0;
  let finalTrainLoss: number | null = null;

  // Early stopping needs a validation loss. Its best weights are not in checkpoints: a resumed
  // run starts counting its patience afresh from the epoch it resumes in.
  const patience = config.earlyStopPatience ?? 0;
  const earlyStop = patience > 0 && data.validation ? new EarlyStopTracker(patience) : null;
  const bestWeights = new WeightsCopy();
  let stoppedEarly = false;
  if (patience > 0 && !data.validation) {
    emit({
      kind: 'log',
      level: 'warn',
      message:
        'early stopping needs a validation split (it watches the validation loss): off for this run',
    });
  }

  // The layers model gets the trained weights (for validation, checkpoints, prediction and
  // export) only when it needs them, and only when a step has changed them since.
  let modelInSync = true;
  const syncModel = () => {
    if (modelInSync) return;
    runner.copyToModel();
    modelInSync = true;
  };

  const checkpoint = async (
    position: { epoch: number; batch: number; epochRngState: number },
    partial: { lossSum: number; correct: number; seen: number },
  ) => {
    if (!options.onCheckpoint) return;
    syncModel();
    await options.onCheckpoint(
      { ...position, step, partial, trainedSamples, elapsedSeconds: elapsed() },
      await runner.exportOptimizer(),
    );
  };

  try {
    for (let epoch = startEpoch; epoch < epochs && !control.stopping; epoch++) {
      const epochStart = now();
      const epochRngState = rng.state;
      const order = shuffledIndices(trainCount, rng);
      const resumingHere = resume !== undefined && epoch === startEpoch;
      const partial = resumingHere ? resume.state.partial : { lossSum: 0, correct: 0, seen: 0 };
      // Running sums stay in TensorFlow; they are read only when an event is due.
      let lossSum = tf.scalar(partial.lossSum);
      let correctSum = tf.scalar(partial.correct);
      let seen = partial.seen;
      let batch = resumingHere ? resume.state.batch : 0;
      const readSums = () => ({
        lossSum: lossSum.dataSync()[0] as number,
        correct: correctSum.dataSync()[0] as number,
        seen,
      });
      let totals: { loss: number; accuracy: number; seen: number } | null = null;
      try {
        // A pass resumed mid-way keeps the estimate its checkpoint saved (an optimizer slot).
        if (curvature && batch === 0) {
          tf.tidy(() => {
            const b = gatherBatch(
              data.train,
              order.subarray(0, Math.min(curvature.samples, trainCount)),
            );
            runner.estimateCurvature(b.x, b.y, batchSeed(config.seed, epoch, -1));
          });
        }
        for (; batch < batchesPerEpoch; batch++) {
          if (control.paused) {
            await checkpoint({ epoch, batch, epochRngState }, readSums());
            emit({ kind: 'paused', epoch, batch });
            await control.waitWhilePaused();
            if (!control.stopping) emit({ kind: 'resumed', epoch, batch });
          }
          if (control.stopping) break;

          const start = batch * batchSize;
          const size = Math.min(batchSize, trainCount - start);
          const learningRate = learningRateAt(config, step, totalSteps);
          const result = tf.tidy(() => {
            const b = gatherBatch(data.train, order.subarray(start, start + size), scratch);
            const r = runner.step(
              distort ? distortBatch(b.x, strengths, batchSeed(config.seed, epoch, batch)) : b.x,
              b.y,
              learningRate,
            );
            return {
              nextLoss: lossSum.add(r.lossSum) as tf.Scalar,
              nextCorrect: correctSum.add(r.correct) as tf.Scalar,
            };
          });
          lossSum.dispose();
          correctSum.dispose();
          lossSum = result.nextLoss;
          correctSum = result.nextCorrect;
          modelInSync = false;
          seen += size;
          step++;
          trainedSamples += size;

          const t = now();
          if (throttle.due(t) || batch === batchesPerEpoch - 1) {
            const sums = readSums();
            const secs = elapsed();
            emit({
              kind: 'batch',
              epoch,
              batch,
              batchesPerEpoch,
              loss: sums.lossSum / seen,
              accuracy: sums.correct / seen,
              learningRate,
              samplesPerSecond: trainedSamples / Math.max(secs, 1e-9),
              elapsedSeconds: secs,
              etaSeconds: etaSeconds(step, totalSteps, secs),
            });
          }
          await yieldToEventLoop();
        }
        batchesInLastEpoch = batch;
        if (seen > 0) {
          const sums = readSums();
          totals = { loss: sums.lossSum / seen, accuracy: sums.correct / seen, seen };
          finalTrainLoss = totals.loss;
        }
        // Stopped mid-epoch: remember exactly where, so a resume continues this epoch.
        if (batch < batchesPerEpoch) await checkpoint({ epoch, batch, epochRngState }, readSums());
      } finally {
        tf.dispose([lossSum, correctSum]);
      }

      if (batch === batchesPerEpoch && totals) {
        epochsCompleted = epoch + 1;
        syncModel();
        // With the confusion matrix: a 10×10 of counts, cheap next to the evaluation itself.
        const val = data.validation
          ? evaluateSplit(model, data.validation, {
              loss,
              confusion: true,
              forward: runner.predict,
            })
          : null;
        const seconds = (now() - epochStart) / 1000;
        const event = {
          kind: 'epoch' as const,
          epoch,
          epochs,
          loss: totals.loss,
          accuracy: totals.accuracy,
          valLoss: val?.testLoss ?? null,
          valAccuracy: val?.testAccuracy ?? null,
          ...(val
            ? { valConfusion: val.confusion, valPerClassAccuracy: perClassAccuracy(val.confusion) }
            : {}),
          seconds,
          samplesPerSecond: totals.seen / Math.max(seconds, 1e-9),
          // Measured once this epoch's own tensors are gone: constant across epochs when
          // nothing leaks.
          numTensors: tf.memory().numTensors,
        };
        emit(event);
        observers.onEpochEnd(event, model);
        await options.onEpoch?.(event);
        await checkpoint(
          { epoch: epoch + 1, batch: 0, epochRngState: rng.state },
          { lossSum: 0, correct: 0, seen: 0 },
        );
        if (earlyStop && val) {
          const verdict = earlyStop.observe(epoch, val.testLoss);
          if (verdict === 'improved') bestWeights.take(model);
          if (verdict === 'stop' && epoch + 1 < epochs) {
            stoppedEarly = true;
            const best = earlyStop.best!;
            emit({
              kind: 'log',
              level: 'info',
              message:
                `early stopping: the validation loss has not gone below ${best.valLoss.toFixed(4)} ` +
                `(epoch ${best.epoch + 1}) for ${patience} epoch${patience === 1 ? '' : 's'}; ` +
                `stopping after epoch ${epoch + 1} of ${epochs}`,
            });
            break;
          }
        }
      }
    }
    syncModel();
    // A run that ended by itself (patience out, or every epoch done) ends on its best epoch;
    // a stopped one keeps its last weights, since Resume continues from them.
    if (earlyStop?.best && !control.stopping) {
      const best = earlyStop.best;
      earlyStopResult = {
        bestEpoch: best.epoch,
        bestValLoss: best.valLoss,
        stoppedEarly,
        epochsTrained: epochsCompleted,
      };
      if (best.epoch + 1 < epochsCompleted) {
        bestWeights.restoreInto(model);
        emit({
          kind: 'log',
          level: 'info',
          message: `restored the weights of epoch ${best.epoch + 1} (validation loss ${best.valLoss.toFixed(4)})`,
        });
        // The run's checkpoint is what opening or exporting the run gives: the same weights.
        await checkpoint(
          { epoch: epochsCompleted, batch: 0, epochRngState: rng.state },
          { lossSum: 0, correct: 0, seen: 0 },
        );
      }
    }
  } finally {
    // Optimizer slots (Adam moments) and native variables belong to this run only.
    runner.dispose();
    bestWeights.dispose();
    observers.close();
  }

  const trainSeconds = elapsed();
  const test = evaluateSplit(model, data.test, { loss });
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
    runId: options.runId ?? null,
    ...(earlyStopResult ? { earlyStop: earlyStopResult } : {}),
  };
  // train-done is the engine's to announce, once the run is recorded and its model current.
  return summary;
}
