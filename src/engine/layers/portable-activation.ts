// The activations of conv and dense blocks as tfjs ops, for the portable forward pass at
// inference (activations requests). A switch rather than a table: an activation added to
// LayerActivation without a case here gets null, and the caller applies the tf.layers layer.
import * as tf from '@tensorflow/tfjs-node';
import type { LayerActivation } from './activations';

export function portableActivation(act: LayerActivation, x: tf.Tensor): tf.Tensor | null {
  switch (act) {
    case 'relu':
      return tf.relu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'linear':
      return x;
    case 'softmax':
      return tf.softmax(x);
    default:
      return null;
  }
}
