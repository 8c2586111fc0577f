// The dataset stays uint8 and becomes float32 per batch: the batches hold exactly the bytes
// scaled to [0,1] and the labels of the samples asked for, and nothing of TensorFlow's stays.
import * as tf from '@tensorflow/tfjs-node';
import { describe, expect, it } from 'vitest';
import { createDatasetTensors, gatherBatch, rangeBatch } from '../../src/engine/dataset-tensors';
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
});
