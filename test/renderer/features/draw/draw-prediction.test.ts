import { describe, expect, it } from 'vitest';
import {
  pixelsToRgba,
  toWireBatch,
} from '../../../../src/renderer/src/features/draw/draw-network-input';
import {
  formatProbability,
  topDigits,
} from '../../../../src/renderer/src/features/draw/draw-prediction';

describe('topDigits', () => {
  it('ranks the three most likely digits, best first', () => {
    const p = [0.01, 0.02, 0.6, 0.05, 0.0, 0.2, 0.02, 0.1, 0.0, 0.0];
    expect(topDigits(p)).toEqual([
      { digit: 2, probability: 0.6 },
      { digit: 5, probability: 0.2 },
      { digit: 7, probability: 0.1 },
    ]);
    expect(topDigits(p, 1)).toEqual([{ digit: 2, probability: 0.6 }]);
  });

  it('breaks ties by the lower digit', () => {
    expect(topDigits(new Array(10).fill(0.1)).map((r) => r.digit)).toEqual([0, 1, 2]);
  });
});

describe('formatProbability', () => {
  it('shows one decimal and never a misleading 0.0% or 100.0%', () => {
    expect(formatProbability(0.98234)).toBe('98.2%');
    expect(formatProbability(1)).toBe('100.0%');
    expect(formatProbability(0)).toBe('0.0%');
    expect(formatProbability(0.00002)).toBe('<0.1%');
    expect(formatProbability(0.0006)).toBe('0.1%');
    expect(formatProbability(0.99971)).toBe('>99.9%');
    expect(formatProbability(0.9994)).toBe('99.9%');
    expect(formatProbability(Number.NaN)).toBe('–');
  });
});

describe('network input', () => {
  it('packs images into one Float32Array batch for the wire, clamped to [0,1]', () => {
    const a = new Float32Array(784).fill(0.5);
    a.set([0, 1, 0.123456, -0.1, 1.2, Number.NaN]);
    const b = new Float32Array(784).fill(0.25);
    const batch = toWireBatch([a, b]);
    expect(batch).toBeInstanceOf(Float32Array);
    expect(batch).toHaveLength(2 * 784);
    expect(Array.from(batch.subarray(0, 7))).toEqual([0, 1, Math.fround(0.123456), 0, 1, 0, 0.5]);
    expect(batch[784]).toBe(0.25);
    // The caller's pixels are left as they were.
    expect(a[3]).toBeCloseTo(-0.1);
  });

  it('turns pixels into opaque gray RGBA', () => {
    expect(Array.from(pixelsToRgba(new Float32Array([0, 0.5, 1])))).toEqual([
      0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255,
    ]);
  });
});
