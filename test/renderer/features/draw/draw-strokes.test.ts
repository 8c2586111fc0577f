import { describe, expect, it } from 'vitest';
import { StrokeHistory } from '../../../../src/renderer/src/features/draw/draw-strokes';

describe('StrokeHistory', () => {
  it('records strokes as points, bumping the version on every change', () => {
    const h = new StrokeHistory();
    expect(h.isEmpty).toBe(true);
    expect(h.canUndo).toBe(false);
    h.begin({ x: 1, y: 1 }, 20);
    expect(h.isDrawing).toBe(true);
    const v1 = h.version;
    expect(
      h.extend([
        { x: 2, y: 2 },
        { x: 3, y: 3 },
      ]),
    ).toEqual({ x: 1, y: 1 });
    expect(h.version).toBeGreaterThan(v1);
    expect(h.extend([{ x: 4, y: 4 }])).toEqual({ x: 3, y: 3 });
    h.end();
    expect(h.isDrawing).toBe(false);
    expect(h.all).toEqual([{ width: 20, points: [1, 2, 3, 4].map((n) => ({ x: n, y: n })) }]);
  });

  it('ignores points outside a stroke', () => {
    const h = new StrokeHistory();
    expect(h.extend([{ x: 1, y: 1 }])).toBeNull();
    h.begin({ x: 0, y: 0 }, 10);
    h.end();
    const v = h.version;
    expect(h.extend([{ x: 1, y: 1 }])).toBeNull();
    expect(h.version).toBe(v);
  });

  it('undoes the last stroke and clears everything', () => {
    const h = new StrokeHistory();
    h.begin({ x: 0, y: 0 }, 10);
    h.end();
    h.begin({ x: 5, y: 5 }, 30); // the width is the one at the stroke's start
    h.end();
    expect(h.undo()).toBe(true);
    expect(h.all.map((s) => s.width)).toEqual([10]);
    const v = h.version;
    h.clear();
    expect(h.isEmpty).toBe(true);
    expect(h.version).toBeGreaterThan(v);
    expect(h.undo()).toBe(false);
    const after = h.version;
    h.clear(); // nothing to clear: no change
    expect(h.version).toBe(after);
  });

  it('undo during a stroke drops that stroke and ends it', () => {
    const h = new StrokeHistory();
    h.begin({ x: 0, y: 0 }, 10);
    h.undo();
    expect(h.isDrawing).toBe(false);
    expect(h.extend([{ x: 1, y: 1 }])).toBeNull();
    expect(h.isEmpty).toBe(true);
  });
});
