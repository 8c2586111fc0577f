// The native path's hand-written backward pass checked against tfjs autodiff: from the same
// weights and batch, a few steps of each optimizer must give the same weights. The cases are
// generated from the registries — every preset × activation × pooling × optimizer the option
// table offers — so a new preset, option value or optimizer is covered without a new line here.
// The same check with TensorFlow's oneDNN kernels: native-network-onednn.test.ts.
import * as tf from '@tensorflow/tfjs-node';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/engine/architectures';
import { declarePoolBeforeBias } from '../../src/engine/layers/pool-before-bias';
import type { PoolSpec } from '../../src/engine/layers/pooling';
import { createModel } from '../../src/engine/models';
import { createNativeNetwork, nativeUnsupportedReason } from '../../src/engine/native-network';
import { TrainingConfigSchema } from '../../src/shared/training-config';
import { CHOICES } from '../../src/shared/training-options';
import {
  ALL_CASES,
  batch,
  CASES,
  compareWithAutodiff,
  weightsAfterSteps,
} from '../helpers/native-vs-autodiff';
import { expectMatchesAutodiff } from '../helpers/expect-matches-autodiff';

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
    expectMatchesAutodiff(input.optimizer === 'adam', compareWithAutodiff(input));
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

  it('runs a LeNet-5 step in 70 TensorFlow ops: one read, one update (pool-before-bias taken)', () => {
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
    expect(names.length).toBe(70);
    // The parameters are one variable, read once and split into the ten parameters' shapes…
    expect(names.slice(0, 2)).toEqual(['ReadVariableOp', 'SplitV']);
    expect(names.slice(2, 12)).toEqual(new Array(10).fill('Reshape'));
    // …and updated by one kernel (one per parameter cost ~50 µs each in the thread pool).
    expect(names.filter((n) => n.startsWith('ResourceApply'))).toEqual(['ResourceApplyAdam']);
    // The shortcut: max pool right after each convolution, before its bias.
    expect(names.slice(12, 16)).toEqual(['Conv2D', 'MaxPool', 'BiasAdd', 'Relu']);
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

describe('native predict', () => {
  // Every preset with each activation and pooling (the optimizer plays no part in a forward).
  const forwardCases = ALL_CASES.filter(([, input]) => input.optimizer === 'adam');

  it.each(forwardCases)('%s: the layers model’s outputs, batch by batch', (_name, input) => {
    const config = TrainingConfigSchema.parse(input);
    const model = createModel(config);
    const net = createNativeNetwork(model, config)!;
    const x = tf.randomUniform([1003, ...(model.inputs[0]!.shape.slice(1) as number[])], 0, 1);
    // The first pass at a batch size makes the network's shape constants (kept, once each).
    tf.dispose(net.predict(x));
    const before = tf.memory().numTensors;
    const [native, layers] = tf.tidy(() => [
      net.predict(x).dataSync(),
      (model.predict(x, { batchSize: 1003 }) as tf.Tensor).dataSync(),
    ]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    expect(native.length).toBe(layers.length);
    let worst = 0;
    for (let i = 0; i < native.length; i++)
      worst = Math.max(worst, Math.abs(native[i]! - layers[i]!));
    expect(worst).toBeLessThan(1e-4);
    net.dispose();
    model.dispose();
  });
});
