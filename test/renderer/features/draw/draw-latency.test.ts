import { describe, expect, it } from 'vitest';
import { StrokeLatency, percentile } from '../../../../src/renderer/src/features/draw/draw-latency';

describe('StrokeLatency', () => {
  it('measures each stroke from its end to the first shown prediction that includes it', () => {
    const l = new StrokeLatency();
    l.strokeEnded(5, 100);
    expect(l.shown(4, 110)).toEqual([]); // an older drawing: the stroke is not in it yet
    l.strokeEnded(9, 120);
    expect(l.shown(9, 130)).toEqual([30, 10]);
    expect(l.measured).toBe(2);
    expect(l.lastMs).toBe(10);
    expect(l.shown(9, 140)).toEqual([]); // measured once only
  });

  it('forgets strokes cleared before their prediction showed', () => {
    const l = new StrokeLatency();
    l.strokeEnded(3, 0);
    l.forget();
    expect(l.shown(10, 50)).toEqual([]);
    expect(l.measured).toBe(0);
    expect(l.lastMs).toBeNull();
  });
});

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    expect(percentile(values, 0.95)).toBe(95);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 1)).toBe(100);
    expect(percentile([7], 0.95)).toBe(7);
    expect(percentile([], 0.95)).toBeNaN();
  });
});
