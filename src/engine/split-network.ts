// A native network whose steps and large predictions are split across the engine's two
// threads: the main thread takes the first half of the rows, the twin (twin-thread.ts) the
// rest, each on its own core. The step stays one synchronous step on the whole batch: the two
// halves' gradients (each scaled by 1 / the whole batch) are added, the main thread applies the
// optimizer once, and the twin gets the new parameters before its next half. Optimizer state,
// checkpoints and the layers model stay on the main thread, as without a twin.
import * as tf from '@tensorflow/tfjs-node';
import type { TrainingConfig } from '../shared/training-config';
import type { NativeNetwork, StepResult } from './native-network';
import type { TwinThread } from './twin-thread';

/** Fewer rows than this run on the main thread alone: the split costs more than it saves. */
export const MIN_SPLIT_ROWS = 32;

/**
 * The main thread's share of n rows. A little over half: the twin's half also carries its
 * messages, the new parameters and the copies in and out (about 0.5 ms a step, where a row
 * costs about 0.07 ms, measured at batch 128 on this machine). A fixed share, not one tuned as
 * it runs, so that a run's arithmetic (the order its two sums are added in) is the same every
 * time.
 */
export const MAIN_SHARE = 0.53;
const mainShare = (n: number) => Math.round(n * MAIN_SHARE);

/**
 * `net` with the twin doing half its work, or `net` itself where the twin cannot take a copy
 * (the reason is passed to `onFallback`). Disposing the result disposes `net` and the copy.
 */
export function splitAcrossTwin(
  net: NativeNetwork,
  config: TrainingConfig,
  twin: TwinThread,
  onFallback: (reason: string) => void = () => {},
): NativeNetwork {
  const id = twin.newNetworkId();
  try {
    const params = net.readParams();
    twin.call({ kind: 'build', id, config, params }, 'done', [params.buffer as ArrayBuffer]);
  } catch (err) {
    onFallback((err as Error).message);
    return net;
  }
  let twinHasParams = true;
  let fellBack = false;
  /** Whether this call may use the twin; reports the first failure, once. */
  const twinUsable = () => {
    if (twin.usable) return true;
    if (!fellBack) onFallback(twin.failedBecause ?? 'the twin thread failed');
    fellBack = true;
    return false;
  };
  /** The twin's copy gets the main thread's parameters, unless it has them already. */
  const syncParams = () => {
    if (twinHasParams) return;
    const params = net.readParams();
    twin.post({ kind: 'params', id, params }, [params.buffer as ArrayBuffer]);
    twinHasParams = true;
  };
  /** Rows [from, end) of t, as a new array (read outside a tidy, which would walk it). */
  const rowsOf = <T extends Float32Array | Int32Array>(t: tf.Tensor, from: number): T => {
    const rows = tf.slice(t, from);
    const values = rows.dataSync() as T;
    rows.dispose();
    return values;
  };

  /** The whole batch on the main thread (a small batch, or no twin). */
  const alone = (x: tf.Tensor, y: tf.Tensor, learningRate: number): StepResult => {
    const result = net.step(x, y, learningRate);
    twinHasParams = false;
    return result;
  };

  return {
    step(x, y, learningRate) {
      const n = x.shape[0] as number;
      if (n < MIN_SPLIT_ROWS || !twinUsable()) return alone(x, y, learningRate);
      const h = mainShare(n);
      try {
        syncParams();
        const rows = rowsOf<Float32Array>(x, h);
        const labels = rowsOf<Int32Array>(y, h);
        const shape = [n - h, ...x.shape.slice(1)];
        twin.post({ kind: 'gradient', id, x: rows, shape, y: labels, scale: 1 / n }, [
          rows.buffer as ArrayBuffer,
          labels.buffer as ArrayBuffer,
        ]);
      } catch {
        twinUsable();
        return alone(x, y, learningRate);
      }
      return tf.tidy(() => {
        const mine = tf.tidy(() => net.gradient(tf.slice(x, 0, h), tf.slice(y, 0, h), 1 / n));
        let theirs;
        try {
          theirs = twin.wait('gradient');
        } catch {
          twinUsable();
          return alone(x, y, learningRate);
        }
        net.applyGradient(tf.add(mine.grad, tf.tensor1d(theirs.grad)), learningRate);
        twinHasParams = false;
        return {
          lossSum: tf.add(mine.lossSum, theirs.lossSum) as tf.Scalar,
          correct: tf.add(mine.correct, theirs.correct) as tf.Scalar,
        };
      });
    },
    gradient: (x, y, scale) => net.gradient(x, y, scale),
    applyGradient(grad, learningRate) {
      net.applyGradient(grad, learningRate);
      twinHasParams = false;
    },
    readParams: () => net.readParams(),
    writeParams(values) {
      net.writeParams(values);
      twinHasParams = false;
    },
    estimateCurvature(x, y, seed) {
      net.estimateCurvature(x, y, seed);
    },
    copyToModel: () => net.copyToModel(),
    predict(x) {
      const n = x.shape[0] as number;
      if (n < MIN_SPLIT_ROWS || !twinUsable()) return net.predict(x);
      const h = mainShare(n);
      try {
        syncParams();
        const rows = rowsOf<Float32Array>(x, h);
        twin.post({ kind: 'predict', id, x: rows, shape: [n - h, ...x.shape.slice(1)] }, [
          rows.buffer as ArrayBuffer,
        ]);
      } catch {
        twinUsable();
        return net.predict(x);
      }
      return tf.tidy(() => {
        const mine = net.predict(tf.slice(x, 0, h));
        let theirs;
        try {
          theirs = twin.wait('predict');
        } catch {
          twinUsable();
          return net.predict(x);
        }
        return tf.concat([mine, tf.tensor2d(theirs.y, theirs.shape as [number, number])]);
      });
    },
    exportOptimizer: () => net.exportOptimizer(),
    async importOptimizer(saved, steps) {
      await net.importOptimizer(saved, steps);
    },
    dispose() {
      net.dispose();
      if (twin.usable) {
        try {
          twin.post({ kind: 'dispose', id });
        } catch {
          // A twin that failed has no copy left to free.
        }
      }
    },
  };
}
