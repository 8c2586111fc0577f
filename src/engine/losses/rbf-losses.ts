// The losses on the RBF output's penalties y (y_i: squared distance of F6 to prototype i).
// Natively they read y itself; the exported model outputs softmax(−y), from which evaluation
// scores −log softmax(−y)_D (the paper's criterion without its j term, i.e. j → ∞): the model
// file has lost |x|², so y itself cannot be recovered from it. Prediction: the smallest y_i.
import * as tf from '@tensorflow/tfjs-node';
import { NUM_CLASSES } from '../../shared/mnist-shape';
import type { LossModule } from './loss-module';

/**
 * The paper's j in E = y_D + log(e^−j + Σ_i e^−y_i) (LeCun et al. 1998, eq. 9), which the paper
 * leaves unspecified: a penalty above ~j no longer pushes its class up. With ±1 targets over 84
 * units a correct output's y_D is near 0 and a wrong class's tens, so j = 10 keeps the
 * competition to classes that are actually close.
 */
export const PAPER_J = 10;

/** Cross-entropy of the exported softmax(−y) outputs (evaluation of every RBF loss). */
const perExampleFromProbs = (probs: tf.Tensor, labels: tf.Tensor) =>
  tf.metrics.categoricalCrossentropy(
    tf.oneHot(labels as tf.Tensor1D, NUM_CLASSES).toFloat(),
    probs,
  );

const argmin = (y: tf.Tensor) => tf.argMin(y, 1);

/** Softmax cross-entropy over `logits` [n, k] with int32 labels: losses and d/dlogits. */
function sparseSoftmax(
  kit: Parameters<LossModule['native']>[0],
  logits: tf.Tensor,
  labels: tf.Tensor,
): [tf.Tensor, tf.Tensor] {
  return kit.ops(
    'SparseSoftmaxCrossEntropyWithLogits',
    [kit.attr.float, kit.attr.type('Tlabels', 'int32')],
    [logits, labels],
    2,
  ) as [tf.Tensor, tf.Tensor];
}

/**
 * The paper's criterion is exactly a softmax cross-entropy over 11 logits: −y_0 … −y_9 and a
 * constant −j (a "rubbish" class that is never the label): −log p_D = y_D + log(e^−j + Σ e^−y_i).
 */
export const rbfPaper: LossModule = {
  name: 'paper',
  fusedOutputActivation: null,
  native(kit, y, labels) {
    const n = y.shape[0] as number;
    const logits = tf.concat([tf.neg(y), tf.fill([n, 1], -PAPER_J)], 1);
    const [losses, dLogits] = sparseSoftmax(kit, logits, labels);
    const dz = tf.neg(tf.slice(dLogits, [0, 0], [n, NUM_CLASSES]));
    return { losses, dz };
  },
  reference(y, labels) {
    const n = y.shape[0] as number;
    const yD = tf.sum(tf.mul(y, tf.oneHot(labels as tf.Tensor1D, NUM_CLASSES).toFloat()), 1);
    return yD.add(tf.logSumExp(tf.concat([tf.neg(y), tf.fill([n, 1], -PAPER_J)], 1), 1));
  },
  perExample: perExampleFromProbs,
  predict: (probs) => tf.argMax(probs, 1),
  nativePredict: argmin,
};

/** Plain mean squared error of F6 to the target prototype: E = y_D. */
export const rbfMse: LossModule = {
  name: 'mse',
  fusedOutputActivation: null,
  native(_kit, y, labels) {
    const onehot = tf.oneHot(labels as tf.Tensor1D, NUM_CLASSES).toFloat();
    return { losses: tf.sum(tf.mul(y, onehot), 1), dz: onehot };
  },
  reference: (y, labels) =>
    tf.sum(tf.mul(y, tf.oneHot(labels as tf.Tensor1D, NUM_CLASSES).toFloat()), 1),
  perExample: perExampleFromProbs,
  predict: (probs) => tf.argMax(probs, 1),
  nativePredict: argmin,
};

/** Softmax cross-entropy on −y. */
export const rbfCrossEntropy: LossModule = {
  name: 'rbf-cross-entropy',
  fusedOutputActivation: null,
  native(kit, y, labels) {
    const [losses, dLogits] = sparseSoftmax(kit, tf.neg(y), labels);
    return { losses, dz: tf.neg(dLogits) };
  },
  reference: (y, labels) =>
    tf.losses.softmaxCrossEntropy(
      tf.oneHot(labels as tf.Tensor1D, NUM_CLASSES).toFloat(),
      tf.neg(y),
      undefined,
      undefined,
      tf.Reduction.NONE,
    ),
  perExample: perExampleFromProbs,
  predict: (probs) => tf.argMax(probs, 1),
  nativePredict: argmin,
};
