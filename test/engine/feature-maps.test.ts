// Activations through the layer registry equal a direct tfjs computation of the same layers
// (the model's own tf.layers layers applied one by one), with each layer's planned shape.
import * as tf from '@tensorflow/tfjs-node';
import { describe, expect, it } from 'vitest';
import { architectureFor, planArchitecture } from '../../src/engine/architectures';
import { featureMaps } from '../../src/engine/feature-maps';
import { createModel } from '../../src/engine/models';
import { TrainingConfigSchema } from '../../src/shared/training-config';
import { withPresetDefaults } from '../../src/shared/training-options';
import { mnistSubset } from '../helpers/fixtures';

const digit = Float32Array.from(mnistSubset(0, 1).testImages, (v) => v / 255);

/** Random weights everywhere (biases too), so a wrong bias or activation cannot hide. */
function randomise(model: tf.LayersModel, seed: number): void {
  for (const layer of model.layers) {
    const weights = layer.getWeights();
    if (weights.length === 0) continue;
    layer.setWeights(
      weights.map((w, k) =>
        tf.tidy(() => tf.randomUniform(w.shape, -0.3, 0.3, 'float32', seed + k)),
      ),
    );
  }
}

/** model.layers applied one by one to the same input. */
function direct(model: tf.LayersModel, input: Float32Array): Float32Array[] {
  return tf.tidy(() => {
    let x: tf.Tensor = tf.tensor4d(input, [1, 28, 28, 1]);
    return model.layers.map((layer) => {
      x = layer.apply(x) as tf.Tensor;
      return new Float32Array(x.dataSync());
    });
  });
}

describe('featureMaps', () => {
  it.each([
    { model: 'lenet5' as const },
    {
      model: 'lenet5' as const,
      activation: 'tanh' as const,
      pooling: 'avg' as const,
      dropout: 0.25,
    },
    { model: 'lenet-caffe' as const, activation: 'sigmoid' as const },
  ])('each layer has its planned shape and the direct values: %o', (options) => {
    const config = TrainingConfigSchema.parse(options);
    const model = createModel(config);
    randomise(model, 11);
    const plan = planArchitecture(architectureFor(config));
    const before = tf.memory().numTensors;
    const maps = featureMaps(model, config.model, config, digit);
    expect(tf.memory().numTensors).toBe(before);
    const expected = direct(model, digit);
    expect(maps.layers.map((l) => l.name)).toEqual(plan.map((l) => l.spec.name));
    maps.layers.forEach((layer, i) => {
      expect(layer.kind).toBe(plan[i]!.spec.kind);
      expect(layer.shape, layer.name).toEqual([...plan[i]!.plan.output]);
      expect(layer.values).toBeInstanceOf(Float32Array);
      expect(layer.values.length).toBe(layer.shape.reduce((a, b) => a * b, 1));
      const want = expected[i]!;
      let worst = 0;
      for (let k = 0; k < want.length; k++) {
        worst = Math.max(worst, Math.abs(layer.values[k]! - want[k]!));
      }
      expect(worst, layer.name).toBeLessThan(1e-5);
    });
    // The output layer's activations are the model's prediction.
    const probs = tf.tidy(() =>
      (model.predict(tf.tensor4d(digit, [1, 28, 28, 1])) as tf.Tensor).dataSync(),
    );
    expect(Array.from(maps.layers.at(-1)!.values)).toEqual(Array.from(probs));
    model.dispose();
  });

  it('returns every convolution kernel as filters, [output][input][row][col]', () => {
    const config = TrainingConfigSchema.parse({});
    const model = createModel(config);
    const maps = featureMaps(model, config.model, config, digit);
    expect(maps.filters.map((f) => [f.layer, f.kernelSize, f.inputs, f.outputs])).toEqual([
      ['c1', 5, 1, 6],
      ['c3', 5, 6, 16],
    ]);
    const c3 = model.getLayer('c3').getWeights()[0]!.arraySync() as number[][][][];
    const f = maps.filters[1]!;
    // Filter of output map 7 reading input map 4, at row 2, column 3.
    expect(f.values[((7 * 6 + 4) * 5 + 2) * 5 + 3]).toBe(Math.fround(c3[2]![3]![4]![7]!));
    model.dispose();
  });

  it('a layer whose recorded options do not match the model is computed by the model itself', () => {
    // A tanh model described as relu (a foreign model without its config): no silent relu.
    const tanh = TrainingConfigSchema.parse({ activation: 'tanh' });
    const model = createModel(tanh);
    randomise(model, 5);
    const maps = featureMaps(model, 'lenet5', TrainingConfigSchema.parse({}), digit);
    const expected = direct(model, digit);
    expect(maps.layers[0]!.kind).toBe('Conv2D');
    maps.layers.forEach((layer, i) => {
      expect(Array.from(layer.values).map((v) => v.toFixed(4))).toEqual(
        Array.from(expected[i]!).map((v) => v.toFixed(4)),
      );
    });
    model.dispose();
  });

  // A regression: the 1998 model's scaled tanh is stored by tf.layers as a tanh with the
  // scales folded into the weights, and the comparison of activation names sent every layer to
  // the fallback, so no filters came back (the Train view's C1 panel stayed empty).
  it("computes lenet5-1998's layers through the plan (scales unfolded), with its filters", () => {
    const config = TrainingConfigSchema.parse(withPresetDefaults({ model: 'lenet5-1998' }));
    const model = createModel(config);
    const plan = planArchitecture(architectureFor(config));
    const maps = featureMaps(model, config.model, config, digit);
    expect(maps.layers.map((l) => l.kind)).toEqual(plan.map((l) => l.spec.kind));
    expect(maps.filters.map((f) => [f.layer, f.inputs, f.outputs])).toEqual([
      ['c1', 1, 6],
      ['c3', 6, 16],
      ['c5', 16, 120],
    ]);
    // C1 as the paper computes it, 1.7159·tanh(2a/3): the stored layer gives tanh(2a/3).
    const stored = direct(model, digit)[1]!;
    const c1 = maps.layers[1]!.values;
    let worst = 0;
    for (let k = 0; k < stored.length; k++) {
      worst = Math.max(worst, Math.abs(c1[k]! - 1.7159 * stored[k]!));
    }
    expect(worst).toBeLessThan(1e-4);
    model.dispose();
  });
});
