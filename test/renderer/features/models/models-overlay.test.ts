import { describe, expect, it } from 'vitest';
import type { BatchPoint, EpochMetrics } from '../../../../src/shared/run-record';
import {
  OVERLAY_COLORS,
  RUN_DASHES,
  RUN_MARKERS,
  overlayAxis,
  overlaySeries,
  pruneSelection,
  runStyle,
  toggleSelected,
  type OverlayRun,
} from '../../../../src/renderer/src/features/models/models-overlay';

function epoch(e: number, overrides: Partial<EpochMetrics> = {}): EpochMetrics {
  return {
    epoch: e,
    loss: 1 / (e + 1),
    accuracy: 0.9 + e / 100,
    valLoss: 1.1 / (e + 1),
    valAccuracy: 0.89 + e / 100,
    seconds: 10,
    samplesPerSecond: 4000,
    at: '2025-01-02T13:45:00.000Z',
    ...overrides,
  };
}

/** Batch points of an epoch of 4 batches of 10 samples; `loss` are the running means. */
function batches(epochIndex: number, losses: number[]): BatchPoint[] {
  return losses.map((loss, batch) => ({
    epoch: epochIndex,
    batch,
    batchesPerEpoch: 4,
    step: epochIndex * 4 + batch + 1,
    seen: (batch + 1) * 10,
    loss,
    accuracy: 0.5,
    learningRate: 0.001,
  }));
}

function run(id: string, epochs: number, done: number, history: BatchPoint[] = []): OverlayRun {
  return {
    id,
    name: `run ${id}`,
    epochs,
    metrics: Array.from({ length: done }, (_, e) => epoch(e)),
    batches: history,
  };
}

describe('selection', () => {
  it('toggles runs in the order they were picked', () => {
    let selected = toggleSelected([], 'a');
    selected = toggleSelected(selected, 'c');
    selected = toggleSelected(selected, 'b');
    expect(selected).toEqual(['a', 'c', 'b']);
    expect(toggleSelected(selected, 'c')).toEqual(['a', 'b']);
  });

  it('drops runs that are gone, and keeps the same array when nothing changed', () => {
    const selected = ['a', 'b'];
    expect(pruneSelection(selected, new Set(['a', 'b', 'c']))).toBe(selected);
    expect(pruneSelection(selected, new Set(['b']))).toEqual(['b']);
  });
});

describe('run styles', () => {
  it('gives every run of the palette its own colour, marker and dash pattern', () => {
    const styles = Array.from({ length: OVERLAY_COLORS }, (_, i) => runStyle(i));
    expect(new Set(styles.map((s) => s.color)).size).toBe(OVERLAY_COLORS);
    expect(new Set(styles.map((s) => s.marker)).size).toBe(OVERLAY_COLORS);
    expect(new Set(styles.map((s) => s.dash.join(','))).size).toBe(OVERLAY_COLORS);
    expect(RUN_MARKERS).toHaveLength(OVERLAY_COLORS);
    expect(RUN_DASHES).toHaveLength(OVERLAY_COLORS);
    expect(runStyle(OVERLAY_COLORS)).toEqual(runStyle(0));
  });
});

describe('overlay curves', () => {
  it('draws training per batch, raw and smoothed, and validation per epoch', () => {
    // Batches' own losses 4, 2, 2, 0: running means 4, 3, 8/3, 2.
    const a = run('a', 1, 1, batches(0, [4, 3, 8 / 3, 2]));
    const series = overlaySeries([a], 'loss', 0.5);
    expect(series.map((s) => [s.label, s.kind])).toEqual([
      ['run a · train per batch (raw)', 'batch-raw'],
      ['run a · train per batch', 'batch-smoothed'],
      ['run a · validation', 'validation'],
    ]);
    const [raw, smoothed, validation] = series;
    expect(raw!.points.map((p) => p.x)).toEqual([0.25, 0.5, 0.75, 1]);
    expect(raw!.points.map((p) => p.y)).toEqual([
      4,
      expect.closeTo(2, 12),
      expect.closeTo(2, 12),
      expect.closeTo(0, 12),
    ]);
    // Debiased: the smoothed curve starts where the raw one does, then lags behind it.
    expect(smoothed!.points[0]!.y).toBeCloseTo(4, 12);
    expect(smoothed!.points[3]!.y).toBeGreaterThan(0.5);
    expect(validation!.points).toEqual([{ x: 1, y: 1.1 }]);
    // With smoothing 0 the two coincide.
    const unsmoothed = overlaySeries([a], 'loss', 0);
    expect(unsmoothed[1]!.points).toEqual(unsmoothed[0]!.points);
  });

  it('shows a one-epoch run as a curve, not a lone dot', () => {
    const series = overlaySeries([run('a', 1, 1, batches(0, [2, 1.5, 1.2, 1]))], 'accuracy', 0.6);
    const train = series.find((s) => s.kind === 'batch-smoothed')!;
    expect(train.points.length).toBe(4);
  });

  it('falls back to per-epoch training points for runs recorded before batch curves', () => {
    const series = overlaySeries([run('old', 3, 2)], 'accuracy', 0.6);
    expect(series.map((s) => s.kind)).toEqual(['train-epoch', 'validation']);
    expect(series[0]!.points).toEqual([
      { x: 1, y: 0.9 },
      { x: 2, y: 0.91 },
    ]);
  });

  it('keeps two runs with the same points apart: style, and the later run drawn on top', () => {
    const same = batches(0, [2, 1.5]);
    const series = overlaySeries([run('a', 1, 1, same), run('b', 1, 1, same)], 'loss', 0.6);
    const validation = series.filter((s) => s.kind === 'validation');
    expect(validation[0]!.points).toEqual(validation[1]!.points);
    expect(validation[0]!.style.marker).not.toBe(validation[1]!.style.marker);
    const smoothed = series.filter((s) => s.kind === 'batch-smoothed');
    expect(smoothed[0]!.style.dash).not.toEqual(smoothed[1]!.style.dash);
    // chart.js draws lower orders last: validation over training over the raw curves, and
    // run b over run a within each.
    const order = (runId: string, kind: string) =>
      series.find((s) => s.runId === runId && s.kind === kind)!.order;
    expect(order('b', 'validation')).toBeLessThan(order('a', 'validation'));
    expect(order('a', 'validation')).toBeLessThan(order('b', 'batch-smoothed'));
    expect(order('a', 'batch-smoothed')).toBeLessThan(order('b', 'batch-raw'));
  });

  it('leaves out curves without points (no validation split, nothing trained)', () => {
    const noVal: OverlayRun = {
      id: 'n',
      name: 'no val',
      epochs: 1,
      metrics: [epoch(0, { valLoss: null, valAccuracy: null })],
      batches: [],
    };
    expect(overlaySeries([noVal], 'loss', 0.6).map((s) => s.label)).toEqual([
      'no val · train per epoch',
    ]);
    expect(overlaySeries([run('e', 2, 0)], 'loss', 0.6)).toEqual([]);
  });
});

describe('overlay axis', () => {
  it('spans the longest trained run, not the planned lengths', () => {
    expect(overlayAxis([run('a', 3, 1), run('b', 40, 2)])).toEqual({ min: 1, max: 2 });
    expect(overlayAxis([run('a', 1, 4)])).toEqual({ min: 1, max: 4 });
    expect(overlayAxis([run('a', 5, 0)])).toEqual({ min: 0, max: 1 });
    expect(overlayAxis([])).toEqual({ min: 0, max: 1 });
  });

  it('starts at 0 when a batch curve starts inside the first epoch', () => {
    const history = [...batches(0, [2, 1]), ...batches(1, [1, 0.8])];
    expect(overlayAxis([run('a', 3, 2, history), run('b', 3, 3)])).toEqual({ min: 0, max: 3 });
    // A run stopped inside its second epoch: the axis reaches the end of that epoch.
    expect(overlayAxis([run('a', 3, 1, history.slice(0, 3))])).toEqual({ min: 0, max: 2 });
  });
});
