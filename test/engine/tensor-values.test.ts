// valuesOf: a tensor's values read after its tidy, with nothing left behind.
import * as tf from '@tensorflow/tfjs-node';
import { describe, expect, it } from 'vitest';
import { valuesOf } from '../../src/engine/tensor-values';

describe('valuesOf', () => {
  it('gives the values and frees the tensor and everything made for it', () => {
    const before = tf.memory().numTensors;
    const values = valuesOf(() => tf.add(tf.tensor1d([1, 2, 3]), tf.scalar(1)));
    expect(Array.from(values)).toEqual([2, 3, 4]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('frees everything when the function throws', () => {
    const before = tf.memory().numTensors;
    expect(() =>
      valuesOf(() => {
        tf.tensor1d([1, 2]);
        throw new Error('bad batch');
      }),
    ).toThrow('bad batch');
    expect(tf.memory().numTensors).toBe(before);
  });
});
