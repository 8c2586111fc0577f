// The dataset, resident in TensorFlow: images as float32 [N,28,28,1] in [0,1], labels int32.
// Batches are taken by index gather from these tensors, never copied from JS arrays per batch.
import * as tf from '@tensorflow/tfjs-node';
import { MNIST_INPUT_SHAPE, MNIST_PIXELS } from '../shared/mnist-shape';
import type { DatasetData, Split } from './dataset-files';

export interface TensorSplit {
  x: tf.Tensor4D;
  /** Class indices, int32. */
  y: tf.Tensor1D;
  count: number;
}

export interface DatasetTensors {
  train: TensorSplit;
  validation: TensorSplit | null;
  test: TensorSplit;
  dispose(): void;
}

export interface SplitOptions {
  validationSplit: number;
  trainLimit?: number;
  testLimit?: number;
}

/**
 * Scales to [0,1] in JS and hands TensorFlow one float32 buffer: going through an int32 tensor
 * and TF-side cast/divide would hold four full-size copies at once (~750 MB for MNIST's
 * training set) and raise the engine's peak memory for the whole run.
 */
function toTensors(split: Split, start: number, end: number): TensorSplit {
  const count = end - start;
  const pixels = split.images.subarray(start * MNIST_PIXELS, end * MNIST_PIXELS);
  const scaled = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) scaled[i] = (pixels[i] as number) / 255;
  const x = tf.tensor4d(scaled, [count, ...MNIST_INPUT_SHAPE]);
  const y = tf.tensor1d(Int32Array.from(split.labels.subarray(start, end)), 'int32');
  return { x, y, count };
}

/**
 * Makes the tensors for one run. The validation set is the tail of the (limited) training set,
 * as Keras' validationSplit does, so it never overlaps the samples trained on.
 */
export function createDatasetTensors(data: DatasetData, options: SplitOptions): DatasetTensors {
  const trainTotal = Math.min(data.train.count, options.trainLimit ?? data.train.count);
  const valCount = Math.floor(trainTotal * options.validationSplit);
  const trainCount = trainTotal - valCount;
  if (trainCount < 1) throw new Error('no training samples left after the validation split');
  const testCount = Math.min(data.test.count, options.testLimit ?? data.test.count);
  const train = toTensors(data.train, 0, trainCount);
  const validation = valCount > 0 ? toTensors(data.train, trainCount, trainTotal) : null;
  const test = toTensors(data.test, 0, testCount);
  return {
    train,
    validation,
    test,
    dispose() {
      for (const s of [train, validation, test]) if (s) tf.dispose([s.x, s.y]);
    },
  };
}

/** Just the test split (evaluation of a loaded model). */
export function createTestTensors(data: DatasetData, testLimit?: number): TensorSplit {
  return toTensors(data.test, 0, Math.min(data.test.count, testLimit ?? data.test.count));
}
