import { describe, expect, it } from 'vitest';
import {
  appendPoint,
  emptySeries,
  lastValue,
  seriesPoints,
  type DecimatedSeries,
} from '../../../../src/renderer/src/ui/chart/decimated-series';

function fill(
  count: number,
  maxPoints: number,
  y: (i: number) => number = (i) => i,
): DecimatedSeries {
  let series = emptySeries(maxPoints);
  for (let i = 0; i < count; i++) series = appendPoint(series, { x: i, y: y(i) });
  return series;
}

describe('decimated series', () => {
  it('keeps every point while there is room', () => {
    const series = fill(10, 16);
    expect(seriesPoints(series)).toHaveLength(10);
    expect(series.stride).toBe(1);
    expect(seriesPoints(series)[3]).toEqual({ x: 3, y: 3 });
    expect(lastValue(series)).toBe(9);
  });

  it('never draws more than maxPoints + 1 however many points arrive', () => {
    for (const count of [100, 1_000, 10_000, 54_321]) {
      const series = fill(count, 64);
      expect(seriesPoints(series).length).toBeLessThanOrEqual(65);
      expect(series.total).toBe(count);
    }
  });

  it('gives every complete bucket the same weight (uniform resolution over the run)', () => {
    const series = fill(5_000, 100);
    expect(new Set(series.buckets.map((b) => b.n))).toEqual(new Set([series.stride]));
    expect(series.stride).toBeGreaterThan(1);
    // The raw points not yet in complete buckets sit in the pending one.
    expect(series.buckets.length * series.stride + (series.pending?.n ?? 0)).toBe(5_000);
  });

  it('preserves the mean and the order of x', () => {
    const y = (i: number) => Math.sin(i / 7) + i / 100;
    const count = 3_333;
    const series = fill(count, 50, y);
    const all = [...series.buckets, ...(series.pending ? [series.pending] : [])];
    const weighted = all.reduce((sum, p) => sum + p.y * p.n, 0);
    let expected = 0;
    for (let i = 0; i < count; i++) expected += y(i);
    expect(weighted).toBeCloseTo(expected, 6);
    const xs = seriesPoints(series).map((p) => p.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(xs[0]).toBeGreaterThan(0); // the first bucket's x is its mean, not the first raw x
  });

  it('does not change the series it was given', () => {
    const before = fill(63, 64);
    const snapshot = seriesPoints(before);
    appendPoint(before, { x: 99, y: 99 });
    expect(seriesPoints(before)).toEqual(snapshot);
  });

  it('refuses a size too small to decimate', () => {
    expect(() => emptySeries(2)).toThrow(/maxPoints/);
    expect(lastValue(emptySeries())).toBeNull();
  });
});
