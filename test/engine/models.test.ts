import * as tf from '@tensorflow/tfjs-node';
import { describe, expect, it } from 'vitest';
import { architectureFor, planArchitecture, PRESETS } from '../../src/engine/architectures';
import { countPlannedParams, isConverted, planLayers } from '../../src/engine/layers';
import { createModel, forward, INFERENCE_BATCH, PRESET_PARAMS } from '../../src/engine/models';
import { MNIST_INPUT_SHAPE, NUM_CLASSES } from '../../src/shared/mnist-shape';
import { TrainingConfigSchema } from '../../src/shared/training-config';
import { CHOICES, withPresetDefaults, type ModelPreset } from '../../src/shared/training-options';

const PRESET_NAMES = Object.keys(PRESETS) as ModelPreset[];

describe('createModel', () => {
  it.each(PRESET_NAMES)('%s has its exact parameter count and 10 outputs', (preset) => {
    const config = TrainingConfigSchema.parse(withPresetDefaults({ model: preset }));
    const model = createModel(config);
    const arch = architectureFor(config);
    expect(countPlannedParams(planArchitecture(arch))).toBe(PRESET_PARAMS[preset]);
    // Where no layer is a folded re-expression, tf.layers counts the same.
    if (!arch.layers.some(isConverted)) expect(model.countParams()).toBe(PRESET_PARAMS[preset]);
    const out = tf.tidy(
      () => (model.predict(tf.zeros([3, ...MNIST_INPUT_SHAPE])) as tf.Tensor).shape,
    );
    expect(out).toEqual([3, NUM_CLASSES]);
    model.dispose();
  });

  it('lenet5 has the 61,706 parameters of the design, counted from its plan', () => {
    const plan = planArchitecture(architectureFor(TrainingConfigSchema.parse({})));
    expect(countPlannedParams(plan)).toBe(61_706);
    // c1 156, c3 2,416, c5 48,120, f6 10,164, output 850 (the modern variant of the paper's table).
    expect(
      plan
        .filter((l) => l.plan.params.length > 0)
        .map((l) => [l.spec.name, countPlannedParams([l])]),
    ).toEqual([
      ['c1', 156],
      ['c3', 2_416],
      ['c5', 48_120],
      ['f6', 10_164],
      ['output', 850],
    ]);
  });

  it.each(
    PRESET_NAMES.flatMap((model) =>
      CHOICES.activation.flatMap((activation) =>
        CHOICES.pooling.flatMap((pooling) =>
          [0, 0.25].map((dropout) => ({ model, activation, pooling, dropout })),
        ),
      ),
    ),
  )('plan = tf.layers, layer by layer: %o', (options) => {
    const config = TrainingConfigSchema.parse(options);
    const model = createModel(config);
    const plan = planArchitecture(architectureFor(config));
    expect(model.layers.map((l) => l.name)).toEqual(plan.map((l) => l.spec.name));
    model.layers.forEach((layer, i) => {
      const planned = plan[i]!;
      expect((layer.outputShape as number[]).slice(1), layer.name).toEqual([
        ...planned.plan.output,
      ]);
      // A folded layer's weights are a conversion of its parameters (lenet1998.test.ts).
      if (isConverted(planned.spec)) return;
      expect(layer.countParams(), layer.name).toBe(countPlannedParams([planned]));
      expect(
        layer.getWeights().map((w) => w.shape),
        layer.name,
      ).toEqual(planned.plan.params.map((p) => p.shape));
      // The planned initialisation: zeros stay zeros, seeded Glorot draws are not.
      layer.getWeights().forEach((w, k) => {
        const zero = w.dataSync().every((v) => v === 0);
        expect(zero, `${layer.name} ${planned.plan.params[k]!.name}`).toBe(
          planned.plan.params[k]!.init === 'zeros',
        );
      });
    });
    // Dropout adds no parameters.
    expect(countPlannedParams(plan)).toBe(
      countPlannedParams(planArchitecture(architectureFor({ ...config, dropout: 0 }))),
    );
    model.dispose();
  });

  it('refuses a shape that cannot work, naming the layer', () => {
    expect(() =>
      planLayers(
        [
          {
            kind: 'conv',
            name: 'c9',
            filters: 4,
            kernelSize: 5,
            padding: 'valid',
            activation: 'relu',
          },
        ],
        [4, 4, 1],
      ),
    ).toThrow(/layer c9: a 5×5 convolution without padding needs at least 5×5 input, got 4×4×1/);
    expect(() =>
      planLayers([{ kind: 'dense', name: 'f', units: 3, activation: 'relu' }], [2, 2, 1]),
    ).toThrow(/layer f: a dense layer needs a vector input/);
  });

  it('outputs a probability distribution, whatever the activation and pooling', () => {
    for (const activation of CHOICES.activation) {
      for (const pooling of CHOICES.pooling) {
        const model = createModel(
          TrainingConfigSchema.parse({ activation, pooling, dropout: 0.25 }),
        );
        const sums = tf.tidy(() =>
          (model.predict(tf.randomUniform([2, ...MNIST_INPUT_SHAPE])) as tf.Tensor)
            .sum(1)
            .arraySync(),
        );
        expect(sums).toEqual([expect.closeTo(1, 5), expect.closeTo(1, 5)]);
        // Dropout adds no parameters (trainable subsampling adds 2 per map of S2 and S4).
        expect(model.countParams()).toBe(pooling === 'subsampling' ? 61_816 : 61_706);
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

describe('forward', () => {
  // tf.layers' predict runs 32 rows per pass unless told otherwise: a batch of 1000 took 32
  // passes and four times as long. The passes are counted at the first layer.
  it('runs a batch of up to INFERENCE_BATCH rows in one pass, and a larger one in chunks', () => {
    const model = createModel(TrainingConfigSchema.parse({}));
    const first = model.layers[0]!;
    let passes = 0;
    const call = first.call.bind(first);
    first.call = (inputs, kwargs) => {
      passes++;
      return call(inputs, kwargs);
    };
    const shapes = tf.tidy(() => [
      forward(model, tf.zeros([INFERENCE_BATCH, ...MNIST_INPUT_SHAPE])).shape,
      forward(model, tf.zeros([INFERENCE_BATCH + 5, ...MNIST_INPUT_SHAPE])).shape,
    ]);
    expect(shapes).toEqual([
      [INFERENCE_BATCH, NUM_CLASSES],
      [INFERENCE_BATCH + 5, NUM_CLASSES],
    ]);
    expect(passes).toBe(3);
    model.dispose();
  });
});
