// The 1998 components: their native backward against tfjs autodiff of their reference
// expressions (generated over the LeNet-5 family's switches), hand-computed outputs on tiny
// inputs, the paper's parameter counts, and the exactness of the export's re-expressions.
import * as tf from '@tensorflow/tfjs-node';
import { describe, expect, it } from 'vitest';
import { architectureFor, PRESETS, type Architecture } from '../../src/engine/architectures';
import { countPlannedParams, isConverted, moduleOf, planLayers } from '../../src/engine/layers';
import { ACTIVATION_TABLE } from '../../src/engine/layers/activations';
import { createNativeKit } from '../../src/engine/layers/native-kit';
import {
  C3_TABLE,
  connectionMask,
  type PartialConvSpec,
} from '../../src/engine/layers/partial-conv';
import { rbfPrototypes } from '../../src/engine/layers/rbf-prototypes';
import { LOSSES } from '../../src/engine/losses';
import { PAPER_J } from '../../src/engine/losses/rbf-losses';
import { createModel, PRESET_PARAMS } from '../../src/engine/models';
import { createNativeNetwork, nativeUnsupportedReason } from '../../src/engine/native-network';
import { nativeOps } from '../../src/engine/native-ops';
import { referenceNetwork } from '../../src/engine/reference-network';
import { MNIST_INPUT_SHAPE } from '../../src/shared/mnist-shape';
import { TrainingConfigSchema, type TrainingConfigInput } from '../../src/shared/training-config';
import {
  CHOICES,
  PRESET_DEFAULTS,
  withPresetDefaults,
  type ModelPreset,
} from '../../src/shared/training-options';
import { mnistSubset } from '../helpers/fixtures';

const BATCH = 16;
const digits = mnistSubset(BATCH, 3);
const batch = () => ({
  x: tf.tensor4d(
    Float32Array.from(digits.trainImages, (v) => v / 255),
    [BATCH, ...MNIST_INPUT_SHAPE],
  ),
  y: tf.tensor1d(Int32Array.from(digits.trainLabels), 'int32'),
});

const parse = (input: TrainingConfigInput) => TrainingConfigSchema.parse(withPresetDefaults(input));

/** The native parameters of a model, in plan order (converted layers through their module). */
function planParams(model: tf.LayersModel, arch: Architecture): tf.Tensor[] {
  return planLayers(arch.layers, arch.input).flatMap(({ spec, plan }) => {
    if (plan.params.length === 0) return [];
    const weights = model.getLayer(spec.name).getWeights();
    if (!isConverted(spec)) return weights.map((w) => w.clone());
    const named = moduleOf(spec).layerWeights!.toParams(spec, weights);
    return plan.params.map((p) => named[p.name]!);
  });
}

/** One native SGD step's update against −lr × the reference's autodiff gradient. */
function nativeVersusAutodiff(input: TrainingConfigInput) {
  const config = parse({ ...input, optimizer: 'sgd' });
  const arch = architectureFor(config);
  const model = createModel(config);
  const { x, y } = batch();
  const before = planParams(model, arch);
  const ref = referenceNetwork(arch);
  const grads = tf.grads((...p: tf.Tensor[]) => ref.loss(x, y, p))(before);
  const net = createNativeNetwork(model, config)!;
  // A unit rate: the update is the gradient itself, well above float32 rounding of the weights.
  const lr = 1;
  const r = net.step(x, y, lr);
  net.copyToModel();
  const after = planParams(model, arch);
  let worst = 0;
  before.forEach((b, i) => {
    const native = after[i]!.sub(b).div(-lr);
    const diff = native.sub(grads[i]!).norm().dataSync()[0]!;
    const norm = grads[i]!.norm().dataSync()[0]!;
    worst = Math.max(worst, diff / Math.max(norm, 1e-6));
    native.dispose();
  });
  const loss = r.lossSum.dataSync()[0]! / BATCH;
  const refLoss = ref.loss(x, y, before).dataSync()[0]!;
  tf.dispose([...before, ...after, ...grads, r.lossSum, r.correct, x, y]);
  net.dispose();
  model.dispose();
  return { worst, loss, refLoss };
}

/** The 1998 preset, and each of its switches flipped one at a time (from the option table). */
const SWITCHES = ['activation', 'pooling', 'c3', 'output', 'loss', 'input'] as const;
const FAMILY_CASES = (['lenet5-1998', 'lenet5-classic'] as const).flatMap((model) => {
  const base = { ...PRESET_DEFAULTS[model], model };
  const cases: Array<[string, TrainingConfigInput]> = [[`${model} (preset)`, base]];
  for (const key of SWITCHES) {
    for (const value of CHOICES[key]) {
      const input = { ...base, [key]: value } as TrainingConfigInput;
      if (value === (TrainingConfigSchema.parse(withPresetDefaults(base)) as never)[key]) continue;
      try {
        architectureFor(parse(input));
      } catch {
        continue; // a combination the family refuses (tested below)
      }
      cases.push([`${model} ${key}=${value}`, input]);
    }
  }
  return cases;
});

/** Every preset with a folded activation or pooling (no portable twin in native-network.test). */
const FOLDED_CASES = (Object.keys(PRESETS) as ModelPreset[]).flatMap((model) =>
  CHOICES.activation.flatMap((activation) =>
    CHOICES.pooling
      .filter((pooling) => activation === 'scaled-tanh' || pooling === 'subsampling')
      .map((pooling): [string, TrainingConfigInput] => [
        `${model} ${activation} ${pooling}`,
        { model, activation, pooling },
      ]),
  ),
);

describe('LeNet-5 1998: native backward against autodiff', () => {
  it.each([...FAMILY_CASES, ...FOLDED_CASES])('%s', (_name, input) => {
    const config = parse(input);
    const model = createModel(config);
    expect(nativeUnsupportedReason(model, config)).toBeNull();
    model.dispose();
    const { worst, loss, refLoss } = nativeVersusAutodiff(input);
    expect(loss).toBeCloseTo(refLoss, 3);
    // float32 rounding stays within 1%; a wrong gradient is off by its own size.
    expect(worst).toBeLessThan(1e-2);
  });
});

describe('LeNet-5 1998: the paper', () => {
  it("has the paper's parameters, layer by layer: 60,000", () => {
    const arch = architectureFor(parse({ model: 'lenet5-1998' }));
    const plan = planLayers(arch.layers, arch.input);
    expect(
      plan
        .filter((l) => l.plan.params.length > 0)
        .map((l) => [l.spec.name, countPlannedParams([l])]),
    ).toEqual([
      ['c1', 156],
      ['s2', 12],
      ['c3', 1_516],
      ['s4', 32],
      ['c5', 48_120],
      ['f6', 10_164],
    ]);
    expect(countPlannedParams(plan)).toBe(60_000);
    expect(PRESET_PARAMS['lenet5-1998']).toBe(60_000);
    expect(plan.map((l) => l.plan.output.join('×'))).toEqual([
      '32×32×1',
      '28×28×6',
      '14×14×6',
      '10×10×16',
      '5×5×16',
      '1×1×120',
      '120',
      '84',
      '10',
    ]);
  });

  it("C3's mask is the paper's table: 60 connections", () => {
    const spec: PartialConvSpec = {
      kind: 'partial-conv',
      name: 'c3',
      filters: 16,
      kernelSize: 5,
      padding: 'valid',
      activation: 'scaled-tanh',
      table: C3_TABLE,
    };
    const mask = connectionMask(spec, 6);
    const at = (i: number, o: number) => mask[2]![3]![i]![o];
    expect(mask.flat(3).reduce((a, b) => a + b, 0)).toBe(60 * 25);
    expect([0, 1, 2, 3, 4, 5].map((i) => at(i, 0))).toEqual([1, 1, 1, 0, 0, 0]);
    expect([0, 1, 2, 3, 4, 5].map((i) => at(i, 4))).toEqual([1, 0, 0, 0, 1, 1]);
    expect([0, 1, 2, 3, 4, 5].map((i) => at(i, 14))).toEqual([1, 0, 1, 1, 0, 1]);
    expect([0, 1, 2, 3, 4, 5].map((i) => at(i, 15))).toEqual([1, 1, 1, 1, 1, 1]);
    // Trained: the masked weights stay exactly zero in the export.
    const config = parse({ model: 'lenet5-1998', optimizer: 'adam' });
    const model = createModel(config);
    const net = createNativeNetwork(model, config)!;
    const { x, y } = batch();
    for (let i = 0; i < 2; i++) tf.dispose(Object.values(net.step(x, y, 0.01)));
    net.copyToModel();
    const kernel = model.getLayer('c3').getWeights()[0]!.arraySync() as number[][][][];
    for (let o = 0; o < 16; o++) {
      for (let i = 0; i < 6; i++) {
        const connected = C3_TABLE[o]!.includes(i);
        expect(kernel[1]![1]![i]![o] !== 0, `c3 ${i}→${o}`).toBe(connected);
      }
    }
    net.dispose();
    model.dispose();
    tf.dispose([x, y]);
  });

  it('initialises uniformly in ±2.4/F_in, F_in counting connected inputs only', () => {
    const arch = architectureFor(parse({ model: 'lenet5-1998' }));
    const plan = planLayers(arch.layers, arch.input);
    const c3 = plan.find((l) => l.spec.name === 'c3')!.plan.params[0]!;
    expect(c3.limits!.slice(0, 7)).toEqual([
      2.4 / 75,
      2.4 / 75,
      2.4 / 75,
      2.4 / 75,
      2.4 / 75,
      2.4 / 75,
      2.4 / 100,
    ]);
    expect(c3.limits![15]).toBe(2.4 / 150);
    expect(plan.find((l) => l.spec.name === 'c1')!.plan.params[0]!.limit).toBe(2.4 / 25);
    const model = createModel(parse({ model: 'lenet5-1998' }));
    const params = planParams(model, arch);
    const f6 = params[10]!.dataSync();
    expect(Math.max(...Array.from(f6, Math.abs))).toBeLessThanOrEqual(2.4 / 120);
    expect(Math.max(...Array.from(f6, Math.abs))).toBeGreaterThan(0.9 * (2.4 / 120));
    tf.dispose(params);
    model.dispose();
  });

  it('scaled tanh: f(a) = 1.7159·tanh(2a/3), f(±1) = ±1, and its gradient', () => {
    const kit = createNativeKit(nativeOps()!);
    const act = ACTIVATION_TABLE['scaled-tanh'].native!;
    const a = tf.tensor1d([-1, 0, 1, 3]);
    const y = act.forward(kit, a);
    const expected = [-1, 0, 1, 3].map((v) => 1.7159 * Math.tanh((2 * v) / 3));
    expect(Array.from(y.dataSync())).toEqual(expected.map((v) => expect.closeTo(v, 5)));
    expect(y.dataSync()[2]).toBeCloseTo(1, 3);
    const g = act.grad(kit, y, tf.onesLike(a));
    const dExpected = [-1, 0, 1, 3].map(
      (v) => 1.7159 * (2 / 3) * (1 - Math.tanh((2 * v) / 3) ** 2),
    );
    expect(Array.from(g.dataSync())).toEqual(dExpected.map((v) => expect.closeTo(v, 5)));
    tf.dispose([a, y, g]);
    kit.dispose();
  });

  it('subsampling: 2×2 sum × coefficient + bias, then the squash (hand-computed)', () => {
    const spec = { kind: 'subsample', name: 's', activation: 'linear' } as const;
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]); // 2×2, 2 maps
    const out = moduleOf(spec).reference!(spec, x, {
      coefficient: tf.tensor1d([0.5, -1]),
      bias: tf.tensor1d([1, 2]),
    });
    // map 0: (1+3+5+7)·0.5 + 1 = 9; map 1: (2+4+6+8)·(−1) + 2 = −18
    expect(Array.from(out.dataSync())).toEqual([9, -18]);
    const squashed = { ...spec, activation: 'scaled-tanh' } as const;
    const s = moduleOf(squashed).reference!(squashed, x, {
      coefficient: tf.tensor1d([0.05, 0]),
      bias: tf.tensor1d([0, 0]),
    });
    expect(s.dataSync()[0]).toBeCloseTo(1.7159 * Math.tanh((2 * 0.8) / 3), 5);
  });

  it('RBF: y_i = Σ_j (x_j − w_ij)² against the fixed ±1 prototypes', () => {
    const w = rbfPrototypes();
    expect(w).toHaveLength(10);
    for (const row of w) {
      expect(row).toHaveLength(84);
      expect(row.every((v) => v === 1 || v === -1)).toBe(true);
    }
    const spec = { kind: 'rbf', name: 'output' } as const;
    const x = tf.tensor2d([w[3]!, new Array(84).fill(0)]);
    const y = moduleOf(spec).reference!(spec, x, {}).arraySync() as number[][];
    expect(y[0]![3]).toBe(0);
    const hamming = w[3]!.filter((v, j) => v !== w[8]![j]).length;
    expect(y[0]![8]).toBe(4 * hamming);
    expect(y[1]).toEqual(new Array(10).fill(84));
    expect(LOSSES['rbf-paper'].nativePredict!(tf.tensor2d([y[0]!])).dataSync()[0]).toBe(3);
  });

  it("the paper's loss E = y_D + log(e^−j + Σ e^−y_i), and its native gradient", () => {
    const kit = createNativeKit(nativeOps()!);
    const yv = [3, 1, 2, 5, 8, 9, 4, 6, 7, 10];
    const y = tf.tensor2d([yv]);
    const label = tf.tensor1d([1], 'int32');
    const expected = 1 + Math.log(Math.exp(-PAPER_J) + yv.reduce((s, v) => s + Math.exp(-v), 0));
    const { losses, dz } = LOSSES['rbf-paper'].native(kit, y, label);
    expect(losses.dataSync()[0]).toBeCloseTo(expected, 5);
    expect(LOSSES['rbf-paper'].reference!(y, label).dataSync()[0]).toBeCloseTo(expected, 5);
    const denom = Math.exp(-PAPER_J) + yv.reduce((s, v) => s + Math.exp(-v), 0);
    const dExpected = yv.map((v, i) => (i === 1 ? 1 : 0) - Math.exp(-v) / denom);
    expect(Array.from(dz.dataSync())).toEqual(dExpected.map((v) => expect.closeTo(v, 5)));
    // MSE to the target prototype is y_D; cross-entropy is on −y.
    expect(LOSSES['rbf-mse'].native(kit, y, label).losses.dataSync()[0]).toBe(1);
    const ce = 1 + Math.log(yv.reduce((s, v) => s + Math.exp(-v), 0));
    expect(LOSSES['rbf-cross-entropy'].native(kit, y, label).losses.dataSync()[0]).toBeCloseTo(
      ce,
      5,
    );
    kit.dispose();
  });

  it.each(['lenet5-1998', 'lenet5-classic', 'lenet-dense128'] as const)(
    '%s: the tf.layers model (the export) predicts exactly what the native network computes',
    (preset) => {
      const config = parse({ model: preset });
      const arch = architectureFor(config);
      const model = createModel(config);
      const net = createNativeNetwork(model, config)!;
      const { x, y } = batch();
      for (let i = 0; i < 3; i++) tf.dispose(Object.values(net.step(x, y, 0.003)));
      net.copyToModel();
      const params = planParams(model, arch);
      const z = referenceNetwork(arch).forward(x, params);
      const expected = arch.layers.at(-1)!.kind === 'rbf' ? tf.softmax(tf.neg(z)) : z;
      const probs = model.predict(x) as tf.Tensor;
      expect(probs.sub(expected).abs().max().dataSync()[0]).toBeLessThan(1e-5);
      tf.dispose([...params, z, expected, probs, x, y]);
      net.dispose();
      model.dispose();
    },
  );

  it('refuses widths that cannot work, with a message that says why', () => {
    expect(() => architectureFor(parse({ model: 'lenet5-1998', c1Maps: 12 }))).toThrow(
      /C3 connection table links 6 S2 maps to 16 C3 maps; with C1 of 12 and C3 of 16 maps use --c3 full/,
    );
    expect(() => architectureFor(parse({ model: 'lenet5-1998', f6Units: 100 }))).toThrow(
      /F6 needs 84 units, not 100/,
    );
    expect(() =>
      architectureFor(parse({ model: 'lenet5-1998', output: 'softmax', loss: 'paper' })),
    ).toThrow(/the paper's criterion needs the RBF output/);
    expect(() => architectureFor(parse({ model: 'lenet5', c3: 'table' }))).toThrow(
      /c3: only the LeNet-5 family presets/,
    );
    const wide = parse({ model: 'lenet5-1998', c1Maps: 12, c3: 'full' });
    const plan = planLayers(architectureFor(wide).layers, MNIST_INPUT_SHAPE);
    expect(plan[1]!.plan.output).toEqual([28, 28, 12]);
  });
});
