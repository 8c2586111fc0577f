// Applies a batch's random affine distortions on the native path: one TensorFlow
// ImageProjectiveTransformV3 kernel over the whole batch (tfjs-node registers no `Transform`
// kernel, so it is called through the backend, native-ops.ts), bilinear, the outside filled
// with background (0). Off the native backend, tf.image.transform does the same.
import * as tf from '@tensorflow/tfjs-node';
import { distortionMatrices, type DistortionStrengths } from '../shared/distortion-matrices';
import { nativeOps } from './native-ops';

/** x: [n, side, side, 1] in [0, 1]. A new tensor; the caller disposes it (or tidies). */
export function distortBatch(
  x: tf.Tensor4D,
  strengths: DistortionStrengths,
  seed: number,
): tf.Tensor4D {
  const [n, h, w] = x.shape as [number, number, number, number];
  return tf.tidy(() => {
    const transforms = tf.tensor2d(distortionMatrices(n, w, strengths, seed), [n, 8]);
    const native = nativeOps();
    if (!native) return tf.image.transform(x, transforms, 'bilinear', 'constant', 0);
    return native.op(
      'ImageProjectiveTransformV3',
      [
        native.attr.type('dtype', 'float32'),
        native.attr.str('interpolation', 'BILINEAR'),
        native.attr.str('fill_mode', 'CONSTANT'),
      ],
      [x, transforms, tf.tensor1d([h, w], 'int32'), tf.scalar(0)],
    ) as tf.Tensor4D;
  });
}
