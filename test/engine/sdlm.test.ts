// The paper's stochastic diagonal Levenberg–Marquardt: its h_kk (the Gauss–Newton diagonal)
// against a hand computation, its update against w − η·g/(μ + h), a short run that learns,
// and no tensor left behind.
import * as tf from '@tensorflow/tfjs-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, type DatasetData } from '../../src/engine/dataset-files';
import { createDatasetTensors } from '../../src/engine/dataset-tensors';
import { createNativeKit } from '../../src/engine/layers/native-kit';
import { LOSSES, type LossName } from '../../src/engine/losses';
import { PAPER_J } from '../../src/engine/losses/rbf-losses';
import { createModel } from '../../src/engine/models';
import { createNativeNetwork } from '../../src/engine/native-network';
import { nativeOps } from '../../src/engine/native-ops';
import type { CurvatureSource } from '../../src/engine/optimizers';
import { gaussNewtonDiagonal, SDLM_MU } from '../../src/engine/optimizers/sdlm';
import { createStepRunner } from '../../src/engine/train-step';
import { train, TrainingControl } from '../../src/engine/trainer';
import type { TrainingEvent } from '../../src/shared/engine-protocol';
import { MNIST_INPUT_SHAPE } from '../../src/shared/mnist-shape';
import { TrainingConfigSchema, type TrainingConfigInput } from '../../src/shared/training-config';
import { withPresetDefaults } from '../../src/shared/training-options';
import { mnistSubset, writeDatasetFolder } from '../helpers/fixtures';

const parse = (input: TrainingConfigInput) => TrainingConfigSchema.parse(withPresetDefaults(input));

/** z = x·W, one parameter W [d, k]: ∂z_o/∂W_io = x_i (and 0 for every other output). */
function linearSource(w: tf.Tensor, criterionGradient: CurvatureSource['criterionGradient']) {
  return {
    paramShapes: [w.shape],
    forward: (x: tf.Tensor) => ({
      z: tf.matMul(x, w),
      backward: (dz: tf.Tensor) => [tf.matMul(x, dz, true, false)],
    }),
    criterionGradient,
  } satisfies CurvatureSource;
}

/** softmax over a row of logits. */
const softmax = (logits: number[]) => {
  const m = Math.max(...logits);
  const e = logits.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

describe('SDLM: h_kk, the Gauss–Newton diagonal', () => {
  it('one output, E = ½·a·z² + b·z: h_i = a · mean_p x_pi² exactly', () => {
    const before = tf.memory().numTensors;
    const a = 3;
    const X = [
      [0.5, -1],
      [2, 0.25],
      [-1.5, 1],
    ];
    const w = tf.tensor2d([[0.2], [-0.7]]);
    const x = tf.tensor2d(X);
    const labels = tf.tensor1d([0, 0, 0], 'int32');
    const source = linearSource(w, (z) => z.mul(a).add(0.5));
    const [h] = gaussNewtonDiagonal(source, x, labels, 7);
    const expected = [0, 1].map((i) => (a * X.reduce((s, row) => s + row[i]! ** 2, 0)) / 3);
    (h!.arraySync() as number[][]).forEach((row, i) => expect(row[0]).toBeCloseTo(expected[i]!, 4));
    tf.dispose([w, x, labels, h!]);
    expect(tf.memory().numTensors).toBe(before);
  });

  // Ten outputs and the studio's losses, by hand: H_p = diag(q) − q qᵀ, so the diagonal entry
  // of W_io is x_i² q_o (1 − q_o), with q the softmax of the logits (cross-entropy: z; the
  // paper's criterion: −y and the constant −j). MSE to the target prototype, E = y_D, is linear
  // in y: 0. The estimate samples ±1 vectors, so it is compared on many copies of two samples.
  const X = [
    [0.5, -1],
    [2, 0.25],
  ];
  const labels = [3, 7];
  const W = Array.from({ length: 2 }, (_, i) =>
    Array.from({ length: 10 }, (_, o) => 0.3 * Math.sin(1 + i * 10 + o)),
  );
  const zOf = (p: number) =>
    Array.from({ length: 10 }, (_, o) => X[p]![0]! * W[0]![o]! + X[p]![1]! * W[1]![o]!);
  const diagOf = (q: number[]) => q.map((v) => v * (1 - v));
  const CASES: Array<[LossName, (z: number[]) => number[]]> = [
    ['softmax-cross-entropy', (z) => diagOf(softmax(z))],
    ['rbf-paper', (y) => diagOf(softmax([...y.map((v) => -v), -PAPER_J]).slice(0, 10))],
    ['rbf-mse', () => new Array<number>(10).fill(0)],
  ];
  const COPIES = 400;

  it.each(CASES)('%s: matches the hand computation', (loss, hDiag) => {
    const before = tf.memory().numTensors;
    const kit = createNativeKit(nativeOps()!);
    const w = tf.tensor2d(W);
    const x = tf.tidy(() => tf.tile(tf.tensor2d(X), [COPIES, 1]));
    const y = tf.tidy(() => tf.tile(tf.tensor1d(labels, 'int32'), [COPIES]));
    const source = linearSource(w, (z, l) => LOSSES[loss].native(kit, z, l).dz);
    const [h] = tf.tidy(() => gaussNewtonDiagonal(source, x, y, 11));
    const got = (h!.arraySync() as number[][]).flat();
    const expected = [0, 1].flatMap((i) =>
      Array.from(
        { length: 10 },
        (_, o) => (X[0]![i]! ** 2 * hDiag(zOf(0))[o]! + X[1]![i]! ** 2 * hDiag(zOf(1))[o]!) / 2,
      ),
    );
    const scale = Math.max(...expected);
    if (loss !== 'rbf-mse') expect(scale).toBeGreaterThan(0.01);
    got.forEach((v, k) => expect(Math.abs(v - expected[k]!)).toBeLessThan(0.05 * scale + 1e-6));
    tf.dispose([w, x, y, h!]);
    kit.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('SDLM on the native network', () => {
  const digits = mnistSubset(32, 3);
  const batch = () => ({
    x: tf.tensor4d(
      Float32Array.from(digits.trainImages, (v) => v / 255),
      [32, ...MNIST_INPUT_SHAPE],
    ),
    y: tf.tensor1d(Int32Array.from(digits.trainLabels), 'int32'),
  });

  it('steps by w − η·g/(μ + h_kk), the h_kk estimated before the step', async () => {
    const before = tf.memory().numTensors;
    const lr = 0.01;
    const { x, y } = batch();
    // The gradient g from one SGD step (w − η·g) of the same network from the same weights.
    const sgdModel = createModel(parse({ model: 'lenet5', optimizer: 'sgd' }));
    const w0 = sgdModel.getWeights().map((w) => Array.from(w.dataSync()));
    const sgd = createNativeNetwork(sgdModel, parse({ model: 'lenet5', optimizer: 'sgd' }))!;
    tf.dispose(Object.values(sgd.step(x, y, lr)));
    sgd.copyToModel();
    const wSgd = sgdModel.getWeights().map((w) => Array.from(w.dataSync()));

    const config = parse({ model: 'lenet5', optimizer: 'sdlm' });
    const model = createModel(config);
    const net = createNativeNetwork(model, config)!;
    net.estimateCurvature(x, y, 5);
    const { slots } = await net.exportOptimizer();
    expect(slots).toHaveLength(w0.length);
    expect(slots[0]!.name).toBe('0/hessian');
    tf.dispose(Object.values(net.step(x, y, lr)));
    net.copyToModel();
    const wSdlm = model.getWeights().map((w) => Array.from(w.dataSync()));

    let curved = 0;
    w0.forEach((initial, i) => {
      const h = slots[i]!.values;
      initial.forEach((v0, j) => {
        const g = (v0 - wSgd[i]![j]!) / lr;
        expect(h[j]!).toBeGreaterThanOrEqual(0);
        if (h[j]! > 1e-3) curved++;
        expect(wSdlm[i]![j]! - v0).toBeCloseTo((-lr * g) / (SDLM_MU + h[j]!), 4);
      });
    });
    expect(curved).toBeGreaterThan(100); // the estimate is not all zeros
    sgd.dispose();
    net.dispose();
    tf.dispose([x, y]);
    sgdModel.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('has no portable path: a model the native path cannot take is refused, saying why', () => {
    const config = parse({ model: 'lenet5', optimizer: 'sdlm', dropout: 0.5 });
    const model = createModel(config);
    expect(() => createStepRunner(model, config)).toThrow(
      /sdlm optimizer runs on the native path only.*dropout|sdlm optimizer runs on the native path only/,
    );
    model.dispose();
  });
});

describe('SDLM training', () => {
  let data: DatasetData;
  beforeAll(async () => {
    data = await loadDataset({ kind: 'folder', path: writeDatasetFolder(mnistSubset(256, 64)) });
  });

  it('lowers the loss over a short run and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const config = parse({
      model: 'lenet5',
      optimizer: 'sdlm',
      learningRate: 0.005,
      lrSchedule: 'constant',
      batchSize: 32,
      epochs: 3,
      validationSplit: 0,
      seed: 3,
    });
    const tensors = createDatasetTensors(data, config);
    const model = createModel(config);
    const events: TrainingEvent[] = [];
    await train({
      config,
      model,
      data: tensors,
      control: new TrainingControl(),
      emit: (e) => events.push(e),
    });
    tensors.dispose();
    model.dispose();
    const epochs = events.filter(
      (e): e is Extract<TrainingEvent, { kind: 'epoch' }> => e.kind === 'epoch',
    );
    expect(epochs).toHaveLength(3);
    expect(epochs[2]!.loss).toBeLessThan(epochs[0]!.loss * 0.8);
    expect(new Set(epochs.map((e) => e.numTensors)).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);
});
