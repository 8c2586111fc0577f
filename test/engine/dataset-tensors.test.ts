// The dataset stays uint8 and becomes float32 per batch: the batches hold exactly the bytes
// scaled to [0,1] and the labels of the samples asked for, and nothing of TensorFlow's stays.
import * as tf from '@tensorflow/tfjs-node';
import { describe, expect, it } from 'vitest';
import {
  createBatchScratch,
  createDatasetTensors,
  gatherBatch,
  rangeBatch,
} from '../../src/engine/dataset-tensors';
import type { DatasetData } from '../../src/engine/dataset-files';
import { MNIST_PIXELS } from '../../src/shared/mnist-shape';
import { mnistSubset } from '../helpers/fixtures';

const digits = mnistSubset(50, 10);
const data: DatasetData = {
  name: 'subset',
  dir: '',
  fingerprint: 'subset',
  kind: 'bundled',
  classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  train: { images: digits.trainImages, labels: digits.trainLabels, count: 50 },
  test: { images: digits.testImages, labels: digits.testLabels, count: 10 },
};

describe('dataset tensors', () => {
  it('keeps the bytes as they were read and splits off the validation tail', () => {
    const before = tf.memory().numTensors;
    const splits = createDatasetTensors(data, { validationSplit: 0.2 });
    expect(tf.memory().numTensors).toBe(before);
    expect(splits.train.count).toBe(40);
    expect(splits.validation?.count).toBe(10);
    expect(splits.train.images.buffer).toBe(digits.trainImages.buffer);
    expect(splits.validation?.labels[0]).toBe(digits.trainLabels[40]);
  });

  it('gathers the samples asked for, scaled to [0,1], with their labels', () => {
    const { train } = createDatasetTensors(data, { validationSplit: 0 });
    const indices = Int32Array.from([7, 0, 49]);
    const { x, y } = gatherBatch(train, indices);
    expect(x.shape).toEqual([3, 28, 28, 1]);
    const pixels = x.dataSync();
    indices.forEach((i, k) => {
      for (const p of [0, 300, 783]) {
        expect(pixels[k * MNIST_PIXELS + p]).toBeCloseTo(
          digits.trainImages[i * MNIST_PIXELS + p]! / 255,
          6,
        );
      }
    });
    expect(Array.from(y.dataSync())).toEqual([...indices].map((i) => digits.trainLabels[i]));
    tf.dispose([x, y]);
  });

  it('takes a range the same as gathering its indices', () => {
    const { test } = createDatasetTensors(data, { validationSplit: 0 });
    const a = rangeBatch(test, 3, 5);
    const b = gatherBatch(test, [3, 4, 5, 6, 7]);
    expect(Array.from(a.x.dataSync())).toEqual(Array.from(b.x.dataSync()));
    expect(Array.from(a.y.dataSync())).toEqual(Array.from(b.y.dataSync()));
    tf.dispose([a.x, a.y, b.x, b.y]);
  });

  it('gathers into reused scratch the same batches, a batch intact until the one after next', () => {
    const { train } = createDatasetTensors(data, { validationSplit: 0 });
    const scratch = createBatchScratch(4);
    const batches = [
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10],
    ];
    // All three gathered before any is used: the first two hold their own values, not the
    // later batches' (two buffers in turn; the third reuses the first's, after it was used).
    const first = gatherBatch(train, batches[0]!, scratch);
    const second = gatherBatch(train, batches[1]!, scratch);
    const expected = (indices: number[]) => gatherBatch(train, indices);
    for (const [got, indices] of [
      [first, batches[0]!],
      [second, batches[1]!],
    ] as const) {
      const want = expected(indices);
      expect(Array.from(got.x.dataSync())).toEqual(Array.from(want.x.dataSync()));
      expect(Array.from(got.y.dataSync())).toEqual(Array.from(want.y.dataSync()));
      tf.dispose([want.x, want.y]);
    }
    const last = gatherBatch(train, batches[2]!, scratch); // a short last batch
    const want = expected(batches[2]!);
    expect(last.x.shape).toEqual([2, 28, 28, 1]);
    expect(Array.from(last.x.dataSync())).toEqual(Array.from(want.x.dataSync()));
    expect(Array.from(last.y.dataSync())).toEqual(Array.from(want.y.dataSync()));
    expect(() => gatherBatch(train, [0, 1, 2, 3, 4], scratch)).toThrow(/does not fit/);
    tf.dispose([first.x, first.y, second.x, second.y, last.x, last.y, want.x, want.y]);
  });
});
