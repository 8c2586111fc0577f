// Max pooling on the native path: oneDNN's own kernels when oneDNN is on (the engine turns it
// on for AVX2 + FMA), TensorFlow's MaxPool / MaxPoolGrad otherwise; both give the same numbers,
// ties included (ReLU zeros, blank MNIST borders: the first maximum of a window takes the
// gradient).
import * as tf from '@tensorflow/tfjs-node';
import { describe, expect, it } from 'vitest';
import { createNativeKit } from '../../../src/engine/layers/native-kit';
import { nativeOps } from '../../../src/engine/native-ops';

const ops = nativeOps()!;
const onednn = createNativeKit(ops, { TF_ENABLE_ONEDNN_OPTS: '1' });
const plain = createNativeKit(ops, { TF_ENABLE_ONEDNN_OPTS: '0' });
const onednnMissing =
  onednn.poolKernels === 'onednn' ? null : 'this TensorFlow build has no oneDNN pooling kernels';
if (onednnMissing) console.warn(`[native-kit] oneDNN pooling case skipped: ${onednnMissing}`);

function pooled(kit: typeof plain, x: tf.Tensor, dy: tf.Tensor) {
  return tf.tidy(() => {
    const p = kit.maxPool(x, 2, 2);
    return { y: Array.from(p.y.dataSync()), dx: Array.from(p.grad(dy).dataSync()) };
  });
}

describe('native kit max pooling', () => {
  it('without oneDNN requested, runs TensorFlow’s MaxPool and MaxPoolGrad', () => {
    expect(plain.poolKernels).toBe('tensorflow');
    const x = tf.tensor4d([1, 5, 3, 2], [1, 2, 2, 1]);
    const { y, dx } = pooled(plain, x, tf.tensor4d([7], [1, 1, 1, 1]));
    expect(y).toEqual([5]);
    expect(dx).toEqual([0, 7, 0, 0]);
  });

  it.skipIf(onednnMissing !== null)(
    'with oneDNN, its kernels give exactly TensorFlow’s values and gradients, ties included',
    () => {
      const before = tf.memory().numTensors;
      const x = tf.tidy(() =>
        // Half the values clipped to 0, as after a ReLU: windows full of ties.
        tf.relu(tf.randomUniform([16, 28, 28, 6], -1, 1, 'float32', 3)),
      );
      const dy = tf.randomUniform([16, 14, 14, 6], -1, 1, 'float32', 4);
      expect(pooled(onednn, x, dy)).toEqual(pooled(plain, x, dy));
      tf.dispose([x, dy]);
      expect(tf.memory().numTensors).toBe(before);
    },
  );
});
