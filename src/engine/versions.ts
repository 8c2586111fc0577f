// Versions of the pieces behind the engine, for info requests and model metadata.
import * as tf from '@tensorflow/tfjs-node';

/** The TensorFlow C library version behind tfjs-node (not exposed in tfjs' public types). */
export function tensorflowVersion(): string {
  const backend = tf.backend() as unknown as { binding?: { TF_Version?: string } };
  return backend.binding?.TF_Version ?? 'unknown';
}

export function tfjsVersion(): string {
  return tf.version['tfjs-node'] ?? tf.version.tfjs;
}
