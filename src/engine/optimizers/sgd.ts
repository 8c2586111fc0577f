// Plain stochastic gradient descent: w ← w − lr·g.
import * as tf from '@tensorflow/tfjs-node';
import type { OptimizerEntry } from './optimizer-entry';

export const sgd: OptimizerEntry = {
  slots: [],
  defaults: {},
  native(kit) {
    const attrs = [kit.attr.float, kit.attr.bool('use_locking', false)];
    return {
      apply(params, lr) {
        for (const p of params)
          kit.ops('ResourceApplyGradientDescent', attrs, [p.variable, lr, p.grad], 0);
      },
      dispose() {},
    };
  },
  portable: (lr) => tf.train.sgd(lr),
};
