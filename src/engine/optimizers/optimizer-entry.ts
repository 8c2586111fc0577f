// The contract of an optimizer's table entry: its state, its defaults, its native update and
// its portable fallback. The native network and the checkpoints read the slot names from it.
import type * as tf from '@tensorflow/tfjs-node';
import type { NativeKit } from '../layers/native-kit';

/** One trainable parameter as the native update sees it: resource handles and its gradient. */
export interface NativeParam {
  variable: tf.Tensor;
  /** One resource handle per entry of `slots`, in that order. */
  slots: tf.Tensor[];
  grad: tf.Tensor;
}

export interface NativeUpdate {
  /** Updates every parameter in place; `step` counts steps taken, this one included (1-based). */
  apply(params: readonly NativeParam[], learningRate: tf.Scalar, step: number): void;
  /** Frees the constants made for the update. */
  dispose(): void;
}

export interface OptimizerEntry {
  /**
   * Per-parameter state, zero-initialised. A native checkpoint stores every parameter's first
   * slot, then every parameter's second, named `${parameterIndex}/${slot}`.
   */
  slots: readonly string[];
  /** Hyperparameters besides the learning rate, shared by both paths. */
  defaults: Readonly<Record<string, number>>;
  /** The native update: one ResourceApply… kernel per parameter. */
  native(kit: NativeKit): NativeUpdate;
  /** The portable fallback: a tfjs optimizer with the same hyperparameters. */
  portable(learningRate: number): tf.Optimizer;
}
