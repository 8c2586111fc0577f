// SGD with (heavy-ball) momentum: a ← m·a + g; w ← w − lr·a.
import * as tf from '@tensorflow/tfjs-node';
import type { OptimizerEntry } from './optimizer-entry';

const MOMENTUM = 0.9;

export const momentum: OptimizerEntry = {
  slots: ['accum'],
  defaults: { momentum: MOMENTUM },
  native(kit) {
    const attrs = [
      kit.attr.float,
      kit.attr.bool('use_locking', false),
      kit.attr.bool('use_nesterov', false),
    ];
    const m = tf.scalar(MOMENTUM);
    return {
      apply(params, lr) {
        for (const p of params) {
          kit.ops('ResourceApplyMomentum', attrs, [p.variable, p.slots[0]!, lr, p.grad, m], 0);
        }
      },
      dispose: () => m.dispose(),
    };
  },
  portable: (lr) => tf.train.momentum(lr, MOMENTUM),
};
