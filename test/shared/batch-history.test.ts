import { describe, expect, it } from 'vitest';
import { batchSpans, latestBatches, thinBatches } from '../../src/shared/batch-history';
import type { BatchPoint } from '../../src/shared/run-record';

/** A point of a run with 10 batches of 10 samples an epoch; running means as given. */
function point(epoch: number, batch: number, loss = 1, accuracy = 0.5): BatchPoint {
  return {
    epoch,
    batch,
    batchesPerEpoch: 10,
    step: epoch * 10 + batch + 1,
    seen: (batch + 1) * 10,
    loss,
    accuracy,
    learningRate: 0.001,
  };
}

const at = (points: BatchPoint[]) => points.map((p) => [p.epoch, p.batch]);

describe('latestBatches', () => {
  it('keeps a history in order as it is', () => {
    const points = [point(0, 0), point(0, 5), point(0, 9), point(1, 3)];
    expect(latestBatches(points)).toEqual(points);
  });

  it('lets batches trained again after a crash replace the first attempt’s', () => {
    // Crashed at epoch 1 batch 6; resumed from the checkpoint at the end of epoch 0, its first
    // point at batch 3. (Points before it are the same numbers: training is deterministic.)
    const first = [point(0, 4), point(0, 9), point(1, 2, 0.9), point(1, 6, 0.8)];
    const again = [point(1, 3, 0.7), point(1, 9, 0.6)];
    const latest = latestBatches([...first, ...again]);
    expect(at(latest)).toEqual([
      [0, 4],
      [0, 9],
      [1, 2],
      [1, 3],
      [1, 9],
    ]);
    expect(latest[3]!.loss).toBe(0.7);
  });
});

describe('thinBatches', () => {
  const history = [0, 1, 2].flatMap((epoch) =>
    Array.from({ length: 10 }, (_, batch) => point(epoch, batch)),
  );

  it('returns a history within the limit whole', () => {
    expect(thinBatches(history, 30)).toEqual(history);
  });

  it('keeps every epoch’s last point and spreads the rest evenly', () => {
    const thinned = thinBatches(history, 9);
    expect(thinned).toHaveLength(9);
    for (const epoch of [0, 1, 2])
      expect(thinned.some((p) => p.epoch === epoch && p.batch === 9)).toBe(true);
    // In order, no point twice.
    const steps = thinned.map((p) => p.step);
    expect(steps).toEqual([...new Set(steps)].sort((a, b) => a - b));
    // The six others come from across the run, not its start.
    const others = thinned.filter((p) => p.batch !== 9);
    expect(others[0]!.step).toBeLessThan(10);
    expect(others[others.length - 1]!.step).toBeGreaterThan(20);
  });

  it('spreads the epochs’ ends themselves when even they are over the limit', () => {
    expect(at(thinBatches(history, 2))).toEqual([
      [1, 9],
      [2, 9],
    ]);
    expect(at(thinBatches(history, 1))).toEqual([[2, 9]]);
    expect(() => thinBatches(history, 0)).toThrow(/positive/);
  });
});

describe('batchSpans', () => {
  it('turns running means into the means over each span, exactly', () => {
    // Batches' own losses 4, 2, 2, 0 (10 samples each): running means 4, 3, 8/3, 2.
    const spans = batchSpans([
      point(0, 0, 4, 0.1),
      point(0, 2, 8 / 3, 0.3),
      point(0, 3, 2, 0.45),
      point(1, 1, 0.5, 0.9),
    ]);
    expect(spans.map((s) => s.x)).toEqual([0.1, 0.3, 0.4, 1.2]);
    expect(spans[0]).toMatchObject({ loss: 4, accuracy: 0.1 });
    // Batches 1–2: (8/3·30 − 4·10) / 20 = 2.
    expect(spans[1]!.loss).toBeCloseTo(2, 12);
    expect(spans[1]!.accuracy).toBeCloseTo(0.4, 12);
    expect(spans[2]!.loss).toBeCloseTo(0, 12);
    expect(spans[2]!.accuracy).toBeCloseTo(0.9, 12);
    // A new epoch starts its means afresh.
    expect(spans[3]).toMatchObject({ loss: 0.5, accuracy: 0.9 });
  });

  it('falls back to the running mean where rounding would make a span’s loss negative', () => {
    const spans = batchSpans([point(0, 0, 1), point(0, 1, 0.49999)]);
    expect(spans[1]!.loss).toBe(0.49999);
  });
});
