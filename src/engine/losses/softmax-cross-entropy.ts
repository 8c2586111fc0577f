// Softmax cross-entropy on integer labels. Native: TensorFlow's fused
// SparseSoftmaxCrossEntropyWithLogits on the output layer's logits (the softmax is folded in);
// portable and evaluation: categorical cross-entropy of the softmax outputs.
import * as tf from '@tensorflow/tfjs-node';
import { NUM_CLASSES } from '../../shared/mnist-shape';
import type { LossModule } from './loss-module';

export const softmaxCrossEntropy: LossModule = {
  name: 'softmax-cross-entropy',
  fusedOutputActivation: 'softmax',
  native(kit, logits, labels) {
    const [losses, dz] = kit.ops(
      'SparseSoftmaxCrossEntropyWithLogits',
      [kit.attr.float, kit.attr.type('Tlabels', 'int32')],
      [logits, labels],
      2,
    ) as [tf.Tensor, tf.Tensor];
    return { losses, dz };
  },
  perExample: (probs, labels) =>
    tf.metrics.categoricalCrossentropy(
      tf.oneHot(labels as tf.Tensor1D, NUM_CLASSES).toFloat(),
      probs,
    ),
  // Softmax keeps the order of the logits: the same class either way.
  predict: (outputs) => tf.argMax(outputs, 1),
};
