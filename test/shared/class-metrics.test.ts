import { describe, expect, it } from 'vitest';
import { confusionMatrix, perClassAccuracy, perClassMetrics } from '../../src/shared/class-metrics';

// Worked by hand: 6 samples of classes 0–2, class 3 never seen nor predicted.
//   actual 0 → 0, 0, 1      row 0 = [2, 1, 0, 0]
//   actual 1 → 1, 2         row 1 = [0, 1, 1, 0]
//   actual 2 → 2            row 2 = [0, 0, 1, 0]
const actual = [0, 0, 0, 1, 1, 2];
const predicted = [0, 0, 1, 1, 2, 2];

describe('confusionMatrix', () => {
  it('counts (actual, predicted) pairs, rows = actual class', () => {
    expect(confusionMatrix(actual, predicted, 4)).toEqual([
      [2, 1, 0, 0],
      [0, 1, 1, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 0],
    ]);
  });

  it('takes typed arrays', () => {
    expect(confusionMatrix(Int32Array.from([1, 0]), Uint8Array.from([1, 1]), 2)).toEqual([
      [0, 1],
      [0, 1],
    ]);
  });

  it('refuses mismatched lengths and classes out of range, naming the sample', () => {
    expect(() => confusionMatrix([0, 1], [0], 2)).toThrow('2 labels but 1 predictions');
    expect(() => confusionMatrix([0, 2], [0, 0], 2)).toThrow('sample 1: class 2 → 0');
  });
});

describe('perClassMetrics', () => {
  it('matches the hand-worked precision, recall, F1 and support', () => {
    const m = perClassMetrics(confusionMatrix(actual, predicted, 4));
    // class 0: TP 2 of 2 predicted, of 3 actual → P 1, R 2/3, F1 2·(2/3)/(5/3) = 0.8
    expect(m[0]!.precision).toBe(1);
    expect(m[0]!.recall).toBeCloseTo(2 / 3, 12);
    expect(m[0]!.f1).toBeCloseTo(0.8, 12);
    expect(m[0]!.support).toBe(3);
    // class 1: TP 1 of 2 predicted (one from class 0), of 2 actual → 0.5, 0.5, 0.5
    expect(m[1]).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    // class 2: TP 1 of 2 predicted (one from class 1), of 1 actual → 0.5, 1, 2/3
    expect(m[2]!.precision).toBe(0.5);
    expect(m[2]!.recall).toBe(1);
    expect(m[2]!.f1).toBeCloseTo(2 / 3, 12);
    expect(m[2]!.support).toBe(1);
    // class 3: nothing to divide by → zeros, not NaN
    expect(m[3]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
  });

  it('a perfect classifier scores 1 everywhere', () => {
    const m = perClassMetrics(confusionMatrix([0, 1, 1, 2], [0, 1, 1, 2], 3));
    expect(m.map((c) => [c.precision, c.recall, c.f1, c.support])).toEqual([
      [1, 1, 1, 1],
      [1, 1, 1, 2],
      [1, 1, 1, 1],
    ]);
  });
});

describe('perClassAccuracy', () => {
  it('is the diagonal over the row, null for an empty class', () => {
    expect(perClassAccuracy(confusionMatrix(actual, predicted, 4))).toEqual([2 / 3, 0.5, 1, null]);
  });
});
