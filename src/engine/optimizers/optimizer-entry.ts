// The contract of an optimizer's table entry: its state, its defaults, its native update and
// its portable fallback. The native network and the checkpoints read the slot names from it.
import type * as tf from '@tensorflow/tfjs-node';
import type { NativeKit } from '../layers/native-kit';

/**
 * Trainable parameters as the native update sees them: resource handles and the gradient. The
 * native network passes all its parameters as one flat group (one variable, one per slot), so
 * an update must be elementwise.
 */
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

/**
 * What an optimizer that estimates curvature may ask of the native network, split at z, the
 * output of the last layer with trainable parameters: the network up to z (a forward that keeps
 * its tapes, so one sample can be back-propagated from several gradients), and the criterion
 * seen from z (the parameter-free layers after it — the RBF with its fixed prototypes — and
 * the loss).
 */
export interface CurvatureSource {
  /** Shapes of the parameters, in the network's order. */
  paramShapes: readonly number[][];
  /** Forward on `x` [n, …input] up to z [n, …] and a backward from any dz shaped like z. */
  forward(x: tf.Tensor): {
    z: tf.Tensor;
    /** ∂(Σ dz·z)/∂w for every parameter, in the network's order. */
    backward(dz: tf.Tensor): tf.Tensor[];
  };
  /** ∂E_p/∂z_p for every sample p of z, for int32 labels [n] (the blocks' and loss's own). */
  criterionGradient(z: tf.Tensor, labels: tf.Tensor): tf.Tensor;
}

/** A curvature estimated before every pass into one of the optimizer's slots. */
export interface CurvatureEstimate {
  /** The slot (one of `slots`) that receives the estimate. */
  slot: string;
  /** Training samples the estimate is made on (fewer when the training set is smaller). */
  samples: number;
  /**
   * The estimate for every parameter (shapes as `source.paramShapes`) from x [n, …] and
   * labels [n]; `seed` makes its random draws repeatable.
   */
  estimate(source: CurvatureSource, x: tf.Tensor, labels: tf.Tensor, seed: number): tf.Tensor[];
}

export interface OptimizerEntry {
  /**
   * Per-parameter state, zero-initialised. A native checkpoint stores every parameter's first
   * slot, then every parameter's second, named `${parameterIndex}/${slot}`.
   */
  slots: readonly string[];
  /** Hyperparameters besides the learning rate, shared by both paths. */
  defaults: Readonly<Record<string, number>>;
  /** The native update: one ResourceApply… kernel per parameter group. */
  native(kit: NativeKit): NativeUpdate;
  /**
   * The portable fallback: a tfjs optimizer with the same hyperparameters, or null for an
   * optimizer that runs on the native path only (it needs the network's per-sample backward).
   */
  portable: ((learningRate: number) => tf.Optimizer) | null;
  /** Omitted: the optimizer uses gradients only. */
  curvature?: CurvatureEstimate;
}
