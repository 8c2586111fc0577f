import * as tf from '@tensorflow/tfjs-node';
import { describe, expect, it } from 'vitest';
import { createModel, PRESET_PARAMS } from '../../src/engine/models';
import { TrainingConfigSchema } from '../../src/shared/training-config';

describe('createModel', () => {
  it.each(['lenet5', 'lenet-caffe'] as const)(
    '%s has its exact parameter count and 10 outputs',
    (preset) => {
      const model = createModel(TrainingConfigSchema.parse({ model: preset }));
      expect(model.countParams()).toBe(PRESET_PARAMS[preset]);
      const out = tf.tidy(() => (model.predict(tf.zeros([3, 28, 28, 1])) as tf.Tensor).shape);
      expect(out).toEqual([3, 10]);
      model.dispose();
    },
  );

  it('lenet5 has the 61,706 parameters of the design', () => {
    expect(PRESET_PARAMS.lenet5).toBe(61_706);
  });

  it('outputs a probability distribution, whatever the activation and pooling', () => {
    for (const activation of ['relu', 'tanh', 'sigmoid'] as const) {
      for (const pooling of ['max', 'avg'] as const) {
        const model = createModel(
          TrainingConfigSchema.parse({ activation, pooling, dropout: 0.25 }),
        );
        const sums = tf.tidy(() =>
          (model.predict(tf.randomUniform([2, 28, 28, 1])) as tf.Tensor).sum(1).arraySync(),
        );
        expect(sums).toEqual([expect.closeTo(1, 5), expect.closeTo(1, 5)]);
        expect(model.countParams()).toBe(61_706); // dropout adds no parameters
        model.dispose();
      }
    }
  });

  it('the same seed gives the same initial weights; another seed does not', () => {
    const weights = (seed: number) => {
      const m = createModel(TrainingConfigSchema.parse({ seed }));
      const w = m.getWeights()[0]!.dataSync().slice(0, 10);
      m.dispose();
      return Array.from(w);
    };
    expect(weights(7)).toEqual(weights(7));
    expect(weights(7)).not.toEqual(weights(8));
  });
});
