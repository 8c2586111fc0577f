// The contract every loss fulfils, on both paths and in evaluation alike.
import type * as tf from '@tensorflow/tfjs-node';
import type { LayerActivation } from '../layers/activations';
import type { NativeKit } from '../layers/native-kit';

export interface LossModule {
  name: string;
  /**
   * The output layer's activation this loss takes over on the native path (softmax for cross-
   * entropy, fused into one kernel), or null when the loss reads the output layer as it is.
   */
  fusedOutputActivation: LayerActivation | null;
  /**
   * Native: per-example losses [n] and the gradient of their sum with respect to the output
   * layer's pre-activation `z` (or its output when nothing is fused). `labels` are int32 [n].
   */
  native(kit: NativeKit, z: tf.Tensor, labels: tf.Tensor): { losses: tf.Tensor; dz: tf.Tensor };
  /** Per-example losses [n] from the model's outputs (portable training and evaluation). */
  perExample(outputs: tf.Tensor, labels: tf.Tensor): tf.Tensor;
  /** Predicted class per example from the outputs, or from `z` on the native path. */
  predict(outputs: tf.Tensor): tf.Tensor;
  /** Predicted class from the native `z` when it is not what the model outputs (RBF penalties). */
  nativePredict?(z: tf.Tensor): tf.Tensor;
  /**
   * Per-example losses from the native `z`, differentiable on tfjs tensors: the autodiff
   * reference of `native` (for losses whose `z` is not the model's output).
   */
  reference?(z: tf.Tensor, labels: tf.Tensor): tf.Tensor;
  /**
   * Class probabilities [n, classes] as a person sees them (galleries, top-3), from the
   * outputs. Omitted: the outputs already are probabilities (a softmax output layer).
   */
  probabilities?(outputs: tf.Tensor): tf.Tensor;
}
