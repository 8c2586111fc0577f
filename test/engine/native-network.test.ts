// The native path's hand-written backward pass checked against tfjs autodiff: from the same
// weights and batch, a few steps of each optimizer must give the same weights. The cases are
// generated from the registries — every preset × activation × pooling × optimizer the option
// table offers — so a new preset, option value or optimizer is covered without a new line here.
import * as tf from '@tensorflow/tfjs-node';
import { describe, expect, it } from 'vitest';
import { architectureFor, PRESETS } from '../../src/engine/architectures';
import { isConverted } from '../../src/engine/layers';
import { declarePoolBeforeBias } from '../../src/engine/layers/pool-before-bias';
import type { PoolSpec } from '../../src/engine/layers/pooling';
import { LOSSES } from '../../src/engine/losses';
import { createModel } from '../../src/engine/models';
import { createNativeNetwork, nativeUnsupportedReason } from '../../src/engine/native-network';
import { OPTIMIZERS } from '../../src/engine/optimizers';
import { createPortableRunner } from '../../src/engine/train-step';
import { MNIST_INPUT_SHAPE } from '../../src/shared/mnist-shape';
import {
  TrainingConfigSchema,
  type TrainingConfig,
  type TrainingConfigInput,
} from '../../src/shared/training-config';
import { CHOICES, type ModelPreset, type OptimizerName } from '../../src/shared/training-options';
import { mnistSubset } from '../helpers/fixtures';

const BATCH = 64;
const digits = mnistSubset(BATCH, 0);
const batch = () => ({
  x: tf.tensor4d(
    Float32Array.from(digits.trainImages, (v) => v / 255),
    [BATCH, ...MNIST_INPUT_SHAPE],
  ),
  y: tf.tensor1d(Int32Array.from(digits.trainLabels), 'int32'),
});

function weightsAfterSteps(kind: 'native' | 'portable', input: TrainingConfigInput, steps: number) {
  const config = TrainingConfigSchema.parse({ learningRate: 0.05, ...input });
  const model = createModel(config);
  const runner =
    kind === 'native' ? createNativeNetwork(model, config)! : createPortableRunner(model, config);
  const { x, y } = batch();
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const r = runner.step(x, y, config.learningRate);
    losses.push(r.lossSum.dataSync()[0]! / BATCH);
    tf.dispose([r.lossSum, r.correct]);
  }
  runner.copyToModel();
  const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
  runner.dispose();
  model.dispose();
  tf.dispose([x, y]);
  return { weights, losses };
}

/**
 * TensorFlow's Adam (and Keras') puts epsilon on sqrt(v) with a bias-corrected step size; tfjs'
 * own Adam puts it on sqrt(v-hat), so its reference is written out: tfjs autodiff gradients of
 * the preset's loss, then the Keras update.
 */
function kerasAdamReference(config: TrainingConfig, steps: number) {
  const { beta1, beta2, epsilon } = OPTIMIZERS.adam.defaults as Record<string, number>;
  const loss = LOSSES[PRESETS[config.model].loss];
  const model = createModel(config);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const m = vars.map((w) => tf.zerosLike(w));
  const v = vars.map((w) => tf.zerosLike(w));
  const { x, y } = batch();
  for (let t = 1; t <= steps; t++) {
    const { grads } = tf.variableGrads(
      () => loss.perExample(model.apply(x) as tf.Tensor, y).mean() as tf.Scalar,
      vars,
    );
    const alpha = (config.learningRate * Math.sqrt(1 - beta2! ** t)) / (1 - beta1! ** t);
    vars.forEach((w, i) => {
      const g = grads[w.name]!;
      const [mi, vi] = [m[i]!, v[i]!];
      m[i] = tf.tidy(() => mi.mul(beta1!).add(g.mul(1 - beta1!)));
      v[i] = tf.tidy(() => vi.mul(beta2!).add(g.square().mul(1 - beta2!)));
      w.assign(tf.tidy(() => w.sub(m[i]!.mul(alpha).div(v[i]!.sqrt().add(epsilon!)))));
      tf.dispose([mi, vi, g]);
    });
  }
  const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
  tf.dispose([...m, ...v, x, y]);
  model.dispose();
  return weights;
}

function diffs(a: number[][], b: number[][]) {
  let max = 0;
  let sum = 0;
  let count = 0;
  a.forEach((w, i) =>
    w.forEach((v, j) => {
      const d = Math.abs(v - b[i]![j]!);
      max = Math.max(max, d);
      sum += d;
      count++;
    }),
  );
  return { max, mean: sum / count };
}

/**
 * The largest relative difference between two runs' weight updates, per weight tensor: at small
 * learning rates a wrong gradient moves the weights too little to show in absolute terms.
 */
function updateError(initial: number[][], a: number[][], b: number[][]): number {
  let worst = 0;
  initial.forEach((w0, i) => {
    let diff = 0;
    let norm = 0;
    w0.forEach((v0, j) => {
      const da = a[i]![j]! - v0;
      const db = b[i]![j]! - v0;
      diff += (da - db) ** 2;
      norm += db ** 2;
    });
    worst = Math.max(worst, Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-6));
  });
  return worst;
}

function initialWeights(input: TrainingConfigInput): number[][] {
  const model = createModel(TrainingConfigSchema.parse(input));
  const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
  model.dispose();
  return weights;
}

/** Learning rates at which 3 steps lower the loss without leaving the linear regime. */
const RATES: Record<OptimizerName, Record<ModelPreset, number>> = {
  sgd: {
    lenet5: 0.05,
    'lenet-caffe': 0.01,
    'lenet5-1998': 0.05,
    'lenet5-classic': 0.5,
    'lenet-dense128': 0.05,
  },
  momentum: {
    lenet5: 0.05,
    'lenet-caffe': 0.01,
    'lenet5-1998': 0.05,
    'lenet5-classic': 0.5,
    'lenet-dense128': 0.05,
  },
  adam: {
    lenet5: 0.001,
    'lenet-caffe': 0.001,
    'lenet5-1998': 0.001,
    'lenet5-classic': 0.001,
    'lenet-dense128': 0.001,
  },
  // No portable twin (sdlm.test.ts checks it): only its native path is built.
  sdlm: {
    lenet5: 0.001,
    'lenet-caffe': 0.001,
    'lenet5-1998': 0.001,
    'lenet5-classic': 0.001,
    'lenet-dense128': 0.001,
  },
};

/** Whether a combination folds constants into its exported weights (see lenet1998.test.ts). */
const converted = (input: TrainingConfigInput) =>
  architectureFor(TrainingConfigSchema.parse(input)).layers.some(isConverted);

/**
 * Every combination the presets and the option table can build. Those whose tf.layers weights
 * are a folded re-expression (scaled tanh, trainable subsampling) have no portable twin to
 * compare with: lenet1998.test.ts checks them against autodiff of their native parameters.
 * Nor has an optimizer without a portable path (sdlm: sdlm.test.ts).
 */
const ALL_CASES = (Object.keys(PRESETS) as ModelPreset[]).flatMap((model) =>
  CHOICES.activation.flatMap((activation) =>
    CHOICES.pooling.flatMap((pooling) =>
      CHOICES.optimizer.map((optimizer) => {
        const input: TrainingConfigInput = {
          model,
          activation,
          pooling,
          optimizer,
          learningRate: RATES[optimizer][model],
        };
        return [`${model} ${activation} ${pooling} ${optimizer}`, input] as const;
      }),
    ),
  ),
);
const CASES = ALL_CASES.filter(
  ([, input]) => !converted(input) && OPTIMIZERS[input.optimizer!].portable !== null,
);

describe('native network', () => {
  it('covers every combination of preset, activation, pooling and optimizer', () => {
    expect(ALL_CASES).toHaveLength(
      Object.keys(PRESETS).length *
        CHOICES.activation.length *
        CHOICES.pooling.length *
        CHOICES.optimizer.length,
    );
    for (const [name, input] of ALL_CASES) {
      const config = TrainingConfigSchema.parse(input);
      const model = createModel(config);
      expect(nativeUnsupportedReason(model, config), name).toBeNull();
      model.dispose();
    }
  });

  it.each(CASES)('%s: the same weights as tfjs autodiff after 3 steps', (_name, input) => {
    const native = weightsAfterSteps('native', input, 3);
    const initial = initialWeights(input);
    expect(native.losses[2]).toBeLessThan(native.losses[0]!);
    if (input.optimizer === 'adam') {
      const reference = kerasAdamReference(TrainingConfigSchema.parse(input), 3);
      expect(diffs(native.weights, reference).max).toBeLessThan(1e-4);
      expect(updateError(initial, native.weights, reference)).toBeLessThan(2e-2);
      return;
    }
    const portable = weightsAfterSteps('portable', input, 3);
    expect(native.losses[0]).toBeCloseTo(portable.losses[0]!, 4);
    expect(diffs(native.weights, portable.weights).max).toBeLessThan(2e-4);
    expect(updateError(initial, native.weights, portable.weights)).toBeLessThan(2e-2);
  });

  it('declines dropout with a reason (the portable path trains it)', () => {
    for (const model of ['lenet5', 'lenet-caffe', 'lenet5-classic', 'lenet-dense128'] as const) {
      const config = TrainingConfigSchema.parse({ model, dropout: 0.3 });
      const layers = createModel(config);
      expect(nativeUnsupportedReason(layers, config)).toMatch(/\(Dropout\) runs on the portable/);
      expect(createNativeNetwork(layers, config)).toBeNull();
      layers.dispose();
    }
  });

  it('declines weights that are not the preset plan, naming both', () => {
    const config = TrainingConfigSchema.parse({ model: 'lenet5' });
    const other = createModel(TrainingConfigSchema.parse({ model: 'lenet-caffe' }));
    expect(nativeUnsupportedReason(other, config)).toMatch(
      /the model's layer conv1 is not in the lenet5 plan/,
    );
    other.dispose();
  });

  it('runs a LeNet-5 step in 66 TensorFlow ops (pool-before-bias taken, nothing per-op)', () => {
    const config = TrainingConfigSchema.parse({});
    const model = createModel(config);
    const net = createNativeNetwork(model, config)!;
    const { x, y } = batch();
    const warm = net.step(x, y, 0.001); // makes the shape constants
    tf.dispose([warm.lossSum, warm.correct]);
    const backend = tf.backend() as unknown as Record<string, (...a: unknown[]) => unknown>;
    const names: string[] = [];
    const spies = ['executeSingleOutput', 'executeMultipleOutputs'].map((key) => {
      const original = backend[key]!;
      backend[key] = (...args: unknown[]) => {
        names.push(args[0] as string);
        return original.apply(backend, args);
      };
      return () => (backend[key] = original);
    });
    try {
      const r = net.step(x, y, 0.001);
      tf.dispose([r.lossSum, r.correct]);
    } finally {
      spies.forEach((restore) => restore());
    }
    expect(names.length).toBe(66);
    // The shortcut: max pool right after each convolution, before its bias.
    expect(names.slice(10, 14)).toEqual(['Conv2D', 'MaxPool', 'BiasAdd', 'Relu']);
    net.dispose();
    model.dispose();
    tf.dispose([x, y]);
  });

  it('refuses to declare pool-before-bias for an activation that is not monotone', () => {
    expect(() => declarePoolBeforeBias('conv', ['relu', 'softmax'])).toThrow(
      /conv: pool-before-bias is exact only for monotone activations; softmax is not/,
    );
    const shortcut = declarePoolBeforeBias('conv', ['relu']);
    const max: PoolSpec = { kind: 'pool', name: 'p', mode: 'max', size: 2, stride: 2 };
    const avg: PoolSpec = { ...max, mode: 'avg' };
    expect(shortcut.applies('relu', max)).toBe(true);
    expect(shortcut.applies('relu', avg)).toBe(false);
    expect(shortcut.applies('tanh', max)).toBe(false);
  });

  it("saves its optimizer's slots under the table's names and restores them", async () => {
    const config = TrainingConfigSchema.parse({ optimizer: 'adam' });
    const model = createModel(config);
    const net = createNativeNetwork(model, config)!;
    const { x, y } = batch();
    const r = net.step(x, y, 0.001);
    tf.dispose([r.lossSum, r.correct]);
    const saved = await net.exportOptimizer();
    const params = model.getWeights().length;
    expect(saved.slots.map((s) => s.name)).toEqual([
      ...Array.from({ length: params }, (_, i) => `${i}/m`),
      ...Array.from({ length: params }, (_, i) => `${i}/v`),
    ]);
    const other = createNativeNetwork(model, config)!;
    await other.importOptimizer(saved, 1);
    expect((await other.exportOptimizer()).slots).toEqual(saved.slots);
    const renamed = {
      ...saved,
      slots: saved.slots.map((s, k) => (k === 3 ? { ...s, name: '3/accum' } : s)),
    };
    await expect(other.importOptimizer(renamed, 1)).rejects.toThrow(
      /optimizer slot 3\/accum is not one of adam's \(m, v\)/,
    );
    other.dispose();
    net.dispose();
    model.dispose();
    tf.dispose([x, y]);
  });

  it('frees its variables and constants', () => {
    const before = tf.memory().numTensors;
    weightsAfterSteps('native', {}, 2);
    weightsAfterSteps('native', { optimizer: 'momentum', pooling: 'avg' }, 2);
    expect(tf.memory().numTensors).toBe(before);
  });
});
