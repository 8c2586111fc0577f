// The native path's hand-written backward pass checked against tfjs autodiff: from the same
// weights and batch, one step of each optimizer must give the same weights.
import * as tf from '@tensorflow/tfjs-node';
import { describe, expect, it } from 'vitest';
import { createModel } from '../../src/engine/models';
import { createNativeNetwork, nativeUnsupportedReason } from '../../src/engine/native-network';
import { createPortableRunner } from '../../src/engine/train-step';
import { TrainingConfigSchema, type TrainingConfigInput } from '../../src/shared/training-config';
import { mnistSubset } from '../helpers/fixtures';

const digits = mnistSubset(64, 0);
const batch = () => ({
  x: tf.tensor4d(
    Float32Array.from(digits.trainImages, (v) => v / 255),
    [64, 28, 28, 1],
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
    losses.push(r.lossSum.dataSync()[0]! / 64);
    tf.dispose([r.lossSum, r.correct]);
  }
  runner.copyToModel();
  const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
  runner.dispose();
  model.dispose();
  tf.dispose([x, y]);
  return { weights, losses };
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

describe('native network', () => {
  it.each<[string, TrainingConfigInput]>([
    ['lenet5 relu max sgd', { optimizer: 'sgd' }],
    ['lenet5 tanh avg sgd', { activation: 'tanh', pooling: 'avg', optimizer: 'sgd' }],
    ['lenet5 sigmoid max momentum', { activation: 'sigmoid', optimizer: 'momentum' }],
    ['lenet-caffe relu max sgd', { model: 'lenet-caffe', optimizer: 'sgd', learningRate: 0.01 }],
  ])('%s: the same weights as tfjs autodiff after 3 steps', (_name, config) => {
    const native = weightsAfterSteps('native', config, 3);
    const portable = weightsAfterSteps('portable', config, 3);
    expect(native.losses[0]).toBeCloseTo(portable.losses[0]!, 4);
    expect(native.losses[2]).toBeLessThan(native.losses[0]!);
    expect(diffs(native.weights, portable.weights).max).toBeLessThan(2e-4);
  });

  it('adam: the same weights as the Keras/TensorFlow Adam formula on tfjs gradients', () => {
    // TensorFlow's Adam (and Keras') puts epsilon on sqrt(v) with a bias-corrected step size;
    // tfjs' own Adam puts it on sqrt(v-hat), so the reference is written out here.
    const config = TrainingConfigSchema.parse({ optimizer: 'adam', learningRate: 0.001 });
    const model = createModel(config);
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const m = vars.map((w) => tf.zerosLike(w));
    const v = vars.map((w) => tf.zerosLike(w));
    const { x, y } = batch();
    for (let t = 1; t <= 3; t++) {
      const { grads } = tf.variableGrads(() => {
        const probs = model.apply(x) as tf.Tensor;
        return tf.metrics
          .categoricalCrossentropy(tf.oneHot(y, 10).toFloat(), probs)
          .mean() as tf.Scalar;
      }, vars);
      const alpha = (0.001 * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
      vars.forEach((w, i) => {
        const g = grads[w.name]!;
        const [mi, vi] = [m[i]!, v[i]!];
        m[i] = tf.tidy(() => mi.mul(0.9).add(g.mul(0.1)));
        v[i] = tf.tidy(() => vi.mul(0.999).add(g.square().mul(0.001)));
        w.assign(tf.tidy(() => w.sub(m[i]!.mul(alpha).div(v[i]!.sqrt().add(1e-7)))));
        tf.dispose([mi, vi, g]);
      });
    }
    const reference = model.getWeights().map((w) => Array.from(w.dataSync()));
    tf.dispose([...m, ...v, x, y]);
    model.dispose();
    const native = weightsAfterSteps('native', { optimizer: 'adam', learningRate: 0.001 }, 3);
    expect(diffs(native.weights, reference).max).toBeLessThan(1e-4);
  });

  it('declines dropout with a reason (the portable path trains it)', () => {
    const config = TrainingConfigSchema.parse({ dropout: 0.3 });
    const model = createModel(config);
    expect(nativeUnsupportedReason(model, config)).toMatch(/Dropout/);
    expect(createNativeNetwork(model, config)).toBeNull();
    model.dispose();
  });

  it('frees its variables and constants', () => {
    const before = tf.memory().numTensors;
    weightsAfterSteps('native', {}, 2);
    expect(tf.memory().numTensors).toBe(before);
  });
});
