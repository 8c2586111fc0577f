import { describe, expect, it } from 'vitest';
import {
  SMOOTHING_DEFAULT,
  clampSmoothing,
  smoothPoints,
} from '../../../../src/renderer/src/ui/chart/smoothing';

const series = (ys: number[]) => ys.map((y, x) => ({ x, y }));

describe('TensorBoard smoothing', () => {
  it('is a debiased exponential moving average', () => {
    const w = 0.6;
    const out = smoothPoints(series([1, 2, 4]), w);
    // s1 = 0.4·1, s2 = 0.6·s1 + 0.4·2, s3 = 0.6·s2 + 0.4·4; shown as s_k / (1 − 0.6^k).
    const s1 = 0.4;
    const s2 = w * s1 + 0.8;
    const s3 = w * s2 + 1.6;
    expect(out.map((p) => p.x)).toEqual([0, 1, 2]);
    expect(out[0]!.y).toBeCloseTo(s1 / (1 - w), 12);
    expect(out[1]!.y).toBeCloseTo(s2 / (1 - w ** 2), 12);
    expect(out[2]!.y).toBeCloseTo(s3 / (1 - w ** 3), 12);
  });

  it('starts at the first value (no pull towards zero), and 0 leaves the curve raw', () => {
    expect(smoothPoints(series([5, 5.5]), 0.99)[0]!.y).toBeCloseTo(5, 12);
    expect(smoothPoints(series([3, 1, 2]), 0)).toEqual(series([3, 1, 2]));
  });

  it('lags behind a step by the weight', () => {
    const out = smoothPoints(series([0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1]), 0.6);
    expect(out[3]!.y).toBe(0);
    expect(out[4]!.y).toBeGreaterThan(0.3);
    expect(out[4]!.y).toBeLessThan(0.5);
    expect(out[11]!.y).toBeGreaterThan(0.95);
    // The heavier the weight, the slower it follows.
    expect(smoothPoints(series([0, 0, 0, 0, 1]), 0.9)[4]!.y).toBeLessThan(out[4]!.y);
  });

  it('passes a constant series and non-finite values through, like TensorBoard', () => {
    expect(smoothPoints(series([2, 2, 2]), 0.6)).toEqual(series([2, 2, 2]));
    const out = smoothPoints(series([1, Number.NaN, 1, 3]), 0.5);
    expect(out[1]!.y).toBeNaN();
    expect(out[2]!.y).toBeCloseTo(1, 12);
    expect(out[3]!.y).toBeCloseTo((0.5 * 0.75 + 1.5) / (1 - 0.125), 12);
    expect(smoothPoints([], 0.6)).toEqual([]);
  });

  it('keeps the weight within the slider’s range', () => {
    expect(clampSmoothing(1)).toBe(0.99);
    expect(clampSmoothing(-0.5)).toBe(0);
    expect(clampSmoothing(Number.NaN)).toBe(SMOOTHING_DEFAULT);
    expect(clampSmoothing(0.8)).toBe(0.8);
  });
});
