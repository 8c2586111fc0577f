// The native path's hand-written backward pass against tfjs autodiff, shared by the test run
// in-process (native-network.test.ts) and the one in a child process with TensorFlow's oneDNN
// kernels on (native-network-onednn.test.ts, through native-vs-autodiff-main.ts).
import * as tf from '@tensorflow/tfjs-node';
import { architectureFor, PRESETS } from '../../src/engine/architectures';
import { isConverted } from '../../src/engine/layers';
import { LOSSES } from '../../src/engine/losses';
import { createModel } from '../../src/engine/models';
import { createNativeNetwork } from '../../src/engine/native-network';
import { OPTIMIZERS } from '../../src/engine/optimizers';
import { createPortableRunner } from '../../src/engine/train-step';
import { MNIST_INPUT_SHAPE } from '../../src/shared/mnist-shape';
import {
  TrainingConfigSchema,
  type TrainingConfig,
  type TrainingConfigInput,
} from '../../src/shared/training-config';
import { CHOICES, type ModelPreset, type OptimizerName } from '../../src/shared/training-options';
import { mnistSubset } from './fixtures';

export const BATCH = 64;
const digits = mnistSubset(BATCH, 0);
export const batch = () => ({
  x: tf.tensor4d(
    Float32Array.from(digits.trainImages, (v) => v / 255),
    [BATCH, ...MNIST_INPUT_SHAPE],
  ),
  y: tf.tensor1d(Int32Array.from(digits.trainLabels), 'int32'),
});

export function weightsAfterSteps(
  kind: 'native' | 'portable',
  input: TrainingConfigInput,
  steps: number,
) {
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
export const ALL_CASES = (Object.keys(PRESETS) as ModelPreset[]).flatMap((model) =>
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
export const CASES = ALL_CASES.filter(
  ([, input]) => !converted(input) && OPTIMIZERS[input.optimizer!].portable !== null,
);

/** How far the native path's weights after 3 steps are from autodiff's (the bounds the tests hold). */
export function compareWithAutodiff(input: TrainingConfigInput) {
  const native = weightsAfterSteps('native', input, 3);
  const initial = initialWeights(input);
  const reference =
    input.optimizer === 'adam'
      ? { weights: kerasAdamReference(TrainingConfigSchema.parse(input), 3), losses: null }
      : weightsAfterSteps('portable', input, 3);
  return {
    nativeLosses: native.losses,
    referenceLosses: reference.losses,
    maxDiff: diffs(native.weights, reference.weights).max,
    updateError: updateError(initial, native.weights, reference.weights),
  };
}
