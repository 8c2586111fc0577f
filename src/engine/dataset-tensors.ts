// The dataset of a run, resident as the bytes it was read as (uint8, 784 per image) and turned
// into float32 tensors in [0,1] one batch at a time. Holding MNIST's training set as float32
// [60000,28,28,1] in TensorFlow cost 188 MB resident, and ~376 MB more while it was built (the
// scaled JS copy and TensorFlow's); a batch of 128 is 400 KB, converted in well under a
// millisecond — less than the step's own gather used to take.
import * as tf from '@tensorflow/tfjs-node';
import { MNIST_INPUT_SHAPE, MNIST_PIXELS } from '../shared/mnist-shape';
import type { DatasetData, Split } from './dataset-files';

export interface TensorSplit {
  /** count × 784 bytes, 0 = background, 255 = ink (a view of the loaded file, not a copy). */
  images: Uint8Array;
  /** Class indices. */
  labels: Int32Array;
  count: number;
}

export interface Batch {
  /** float32 [n,28,28,1] in [0,1] */
  x: tf.Tensor4D;
  /** int32 [n] class indices */
  y: tf.Tensor1D;
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

const SCALE = 1 / 255;

/**
 * Memory a run's batches are gathered into, reused from batch to batch: a fresh 400 KB array per
 * batch of 128 (allocated, zeroed, collected) made the gather 0.41 ms instead of 0.23 and the
 * whole training step 0.5 ms slower, measured. Two sets used in turn: a batch's tensors read
 * their buffer until their first use (tfjs-node copies it into TensorFlow then), and a batch is
 * always used before the one after next is gathered.
 */
export interface BatchScratch {
  /** The buffers for the next batch of n ≤ the size made for. */
  take(n: number): { pixels: Float32Array; labels: Int32Array };
}

export function createBatchScratch(maxBatch: number): BatchScratch {
  const sets = [0, 1].map(() => ({
    pixels: new Float32Array(maxBatch * MNIST_PIXELS),
    labels: new Int32Array(maxBatch),
  }));
  let turn = 0;
  return {
    take(n) {
      if (n > maxBatch)
        throw new Error(`a batch of ${n} does not fit scratch made for ${maxBatch}`);
      const set = sets[turn++ % 2]!;
      return {
        pixels: set.pixels.subarray(0, n * MNIST_PIXELS),
        labels: set.labels.subarray(0, n),
      };
    },
  };
}

/** The samples at `indices` (positions in the split) as a batch of tensors. */
export function gatherBatch(
  split: TensorSplit,
  indices: ArrayLike<number>,
  scratch?: BatchScratch,
): Batch {
  const n = indices.length;
  const { pixels, labels } = scratch?.take(n) ?? {
    pixels: new Float32Array(n * MNIST_PIXELS),
    labels: new Int32Array(n),
  };
  const images = split.images;
  for (let k = 0; k < n; k++) {
    const i = indices[k] as number;
    const from = i * MNIST_PIXELS;
    const to = k * MNIST_PIXELS;
    for (let p = 0; p < MNIST_PIXELS; p++) {
      pixels[to + p] = (images[from + p] as number) * SCALE;
    }
    labels[k] = split.labels[i] as number;
  }
  return {
    x: tf.tensor4d(pixels, [n, ...MNIST_INPUT_SHAPE]),
    y: tf.tensor1d(labels, 'int32'),
  };
}

/** The samples start … start+size−1 as a batch of tensors. */
export function rangeBatch(split: TensorSplit, start: number, size: number): Batch {
  const pixels = new Float32Array(size * MNIST_PIXELS);
  const bytes = split.images.subarray(start * MNIST_PIXELS, (start + size) * MNIST_PIXELS);
  for (let p = 0; p < pixels.length; p++) pixels[p] = (bytes[p] as number) * SCALE;
  return {
    x: tf.tensor4d(pixels, [size, ...MNIST_INPUT_SHAPE]),
    y: tf.tensor1d(split.labels.slice(start, start + size), 'int32'),
  };
}

function toSplit(split: Split, start: number, end: number): TensorSplit {
  return {
    images: split.images.subarray(start * MNIST_PIXELS, end * MNIST_PIXELS),
    labels: Int32Array.from(split.labels.subarray(start, end)),
    count: end - start,
  };
}

/**
 * Lays out the splits of one run. The validation set is the tail of the (limited) training
 * set, as Keras' validationSplit does, so it never overlaps the samples trained on.
 */
export function createDatasetTensors(data: DatasetData, options: SplitOptions): DatasetTensors {
  const trainTotal = Math.min(data.train.count, options.trainLimit ?? data.train.count);
  const valCount = Math.floor(trainTotal * options.validationSplit);
  const trainCount = trainTotal - valCount;
  if (trainCount < 1) throw new Error('no training samples left after the validation split');
  const testCount = Math.min(data.test.count, options.testLimit ?? data.test.count);
  return {
    train: toSplit(data.train, 0, trainCount),
    validation: valCount > 0 ? toSplit(data.train, trainCount, trainTotal) : null,
    test: toSplit(data.test, 0, testCount),
    dispose() {
      // Nothing of TensorFlow's is held between batches; the bytes belong to the loaded data.
    },
  };
}

/** Just the test split (evaluation of a loaded model). */
export function createTestTensors(data: DatasetData, testLimit?: number): TensorSplit {
  return toSplit(data.test, 0, Math.min(data.test.count, testLimit ?? data.test.count));
}
