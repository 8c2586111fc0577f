import { describe, expect, it } from 'vitest';
import type { EpochMetrics } from '../../../../src/shared/run-record';
import {
  OVERLAY_COLORS,
  overlayEpochs,
  overlaySeries,
  pruneSelection,
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

function run(id: string, epochs: number, done: number): OverlayRun {
  return {
    id,
    name: `run ${id}`,
    epochs,
    metrics: Array.from({ length: done }, (_, e) => epoch(e)),
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

describe('overlay curves', () => {
  it('draws validation solid and training dashed in the run colour, per epoch', () => {
    const series = overlaySeries([run('a', 3, 2), run('b', 2, 2)], 'accuracy');
    expect(series.map((s) => [s.label, s.color, s.dashed])).toEqual([
      ['run a · validation', 0, false],
      ['run a · train', 0, true],
      ['run b · validation', 1, false],
      ['run b · train', 1, true],
    ]);
    expect(series[0]?.points).toEqual([
      { x: 1, y: 0.89 },
      { x: 2, y: 0.9 },
    ]);
    const loss = overlaySeries([run('a', 3, 1)], 'loss');
    expect(loss.map((s) => s.points)).toEqual([[{ x: 1, y: 1.1 }], [{ x: 1, y: 1 }]]);
  });

  it('leaves out curves without points (no validation split)', () => {
    const noVal: OverlayRun = {
      id: 'n',
      name: 'no val',
      epochs: 1,
      metrics: [epoch(0, { valLoss: null, valAccuracy: null })],
    };
    expect(overlaySeries([noVal], 'loss').map((s) => s.label)).toEqual(['no val · train']);
    expect(overlaySeries([run('e', 2, 0)], 'loss')).toEqual([]);
  });

  it('cycles colours beyond the palette', () => {
    const runs = Array.from({ length: OVERLAY_COLORS + 1 }, (_, i) => run(String(i), 1, 1));
    const colors = overlaySeries(runs, 'loss')
      .filter((s) => !s.dashed)
      .map((s) => s.color);
    expect(colors[OVERLAY_COLORS]).toBe(0);
  });

  it('spans the longest trained run on the epoch axis, not the planned lengths', () => {
    expect(overlayEpochs([run('a', 3, 1), run('b', 40, 2)])).toBe(2);
    expect(overlayEpochs([run('a', 1, 4)])).toBe(4);
    expect(overlayEpochs([run('a', 5, 0)])).toBe(1);
    expect(overlayEpochs([])).toBe(1);
  });
});
