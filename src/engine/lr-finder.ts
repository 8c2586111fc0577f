// The learning-rate range test on the engine's side: a fresh copy of the configured model (its
// own weights, optimizer and native variables, all freed at the end) trains a short sweep on
// the run's training split while the rate grows exponentially; each batch's loss is read back.
// Nothing of the current model or of a run is touched.
import * as tf from '@tensorflow/tfjs-node';
import type { LrRangeTest } from '../shared/engine-protocol';
import {
  createLossSmoother,
  hasDiverged,
  suggestLearningRate,
  sweepRate,
  type LrPoint,
} from '../shared/lr-range';
import { batchSeed, hasDistortions } from '../shared/distortion-matrices';
import { createRng, shuffledIndices } from '../shared/random';
import type { TrainingConfig } from '../shared/training-config';
import { createBatchScratch, gatherBatch, type TensorSplit } from './dataset-tensors';
import { distortBatch } from './distortions';
import { createModel } from './models';
import { OPTIMIZERS } from './optimizers';
import { createStepRunner } from './train-step';
import type { TwinThread } from './twin-thread';
import { distortionsOf } from './trainer';

export interface SweepOptions {
  batches: number;
  minLr: number;
  maxLr: number;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function lrRangeTest(
  config: TrainingConfig,
  train: TensorSplit,
  sweep: SweepOptions,
  /** The engine's twin thread, which takes half of each batch, if any. */
  twin: TwinThread | null = null,
): Promise<LrRangeTest> {
  if (!(sweep.minLr < sweep.maxLr))
    throw new Error(
      `the sweep's lowest rate (${sweep.minLr}) must be below its highest (${sweep.maxLr})`,
    );
  const started = performance.now();
  const model = createModel(config);
  try {
    const { runner } = createStepRunner(model, config, twin);
    try {
      const batchSize = Math.min(config.batchSize, train.count);
      const scratch = createBatchScratch(batchSize);
      const rng = createRng(config.seed);
      const strengths = distortionsOf(config);
      const distort = hasDistortions(strengths);
      const smooth = createLossSmoother();
      const points: LrPoint[] = [];
      let order = shuffledIndices(train.count, rng);
      let at = 0;
      let lowest = Number.POSITIVE_INFINITY;
      let diverged = false;
      const curvature = OPTIMIZERS[config.optimizer].curvature;
      if (curvature) {
        tf.tidy(() => {
          const b = gatherBatch(train, order.subarray(0, Math.min(curvature.samples, train.count)));
          runner.estimateCurvature(b.x, b.y, batchSeed(config.seed, 0, -1));
        });
      }
      for (let i = 0; i < sweep.batches; i++) {
        // A small training set is gone through again, in a new order each time.
        if (at + batchSize > train.count) {
          order = shuffledIndices(train.count, rng);
          at = 0;
        }
        const lr = sweepRate(i, sweep.batches, sweep.minLr, sweep.maxLr);
        const indices = order.subarray(at, at + batchSize);
        at += batchSize;
        const loss = tf.tidy(() => {
          const b = gatherBatch(train, indices, scratch);
          const x = distort ? distortBatch(b.x, strengths, batchSeed(config.seed, 0, i)) : b.x;
          return (runner.step(x, b.y, lr).lossSum.dataSync()[0] as number) / indices.length;
        });
        const smoothed = smooth(loss);
        points.push({ lr, loss, smoothed });
        if (hasDiverged(smoothed, lowest)) {
          diverged = true;
          break;
        }
        lowest = Math.min(lowest, smoothed);
        await yieldToEventLoop();
      }
      // Points after a blow-up are not numbers JSON can carry, nor worth plotting.
      const finite = points.filter((p) => Number.isFinite(p.loss) && Number.isFinite(p.smoothed));
      const suggestion = suggestLearningRate(finite);
      return {
        points: finite,
        suggested: suggestion?.suggested ?? null,
        minLossLr: suggestion?.minLossLr ?? null,
        rule: suggestion?.rule ?? null,
        diverged,
        batchSize,
        seconds: (performance.now() - started) / 1000,
      };
    } finally {
      runner.dispose();
    }
  } finally {
    model.dispose();
  }
}
