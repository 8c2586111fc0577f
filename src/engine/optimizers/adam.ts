// Adam as TensorFlow (and Keras) computes it: epsilon on sqrt(v) with a bias-corrected step size.
// The portable fallback is tfjs' Adam, which puts epsilon on sqrt(v-hat); the two agree closely.
import * as tf from '@tensorflow/tfjs-node';
import type { OptimizerEntry } from './optimizer-entry';

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-7;

export const adam: OptimizerEntry = {
  slots: ['m', 'v'],
  defaults: { beta1: BETA1, beta2: BETA2, epsilon: EPSILON },
  native(kit) {
    const attrs = [
      kit.attr.float,
      kit.attr.bool('use_locking', false),
      kit.attr.bool('use_nesterov', false),
    ];
    const constants = [tf.scalar(BETA1), tf.scalar(BETA2), tf.scalar(EPSILON)] as const;
    return {
      apply(params, lr, step) {
        // Made per step inside the caller's tidy.
        const b1p = tf.scalar(BETA1 ** step);
        const b2p = tf.scalar(BETA2 ** step);
        const [beta1, beta2, epsilon] = constants;
        for (const p of params) {
          kit.ops(
            'ResourceApplyAdam',
            attrs,
            [p.variable, p.slots[0]!, p.slots[1]!, b1p, b2p, lr, beta1, beta2, epsilon, p.grad],
            0,
          );
        }
      },
      dispose: () => tf.dispose([...constants]),
    };
  },
  portable: (lr) => tf.train.adam(lr, BETA1, BETA2, EPSILON),
};
