import { describe, expect, it } from 'vitest';
import {
  columnsFor,
  gridMove,
  listMove,
  scrollToShow,
  virtualWindow,
} from '../../../src/renderer/src/ui/virtual-grid';

describe('virtual window', () => {
  it('renders only the rows in view plus the overscan, for a thousand items', () => {
    // 1,000 items, 6 a row → 167 rows of 100 px; a 450 px viewport scrolled to 5,000 px shows
    // rows 50–54 (54.5 → 55 exclusive), and two rows either side.
    const w = virtualWindow({
      count: 1000,
      columns: 6,
      rowHeight: 100,
      viewportHeight: 450,
      scrollTop: 5000,
      overscanRows: 2,
    });
    expect(w).toEqual({
      rows: 167,
      firstRow: 48,
      endRow: 57,
      start: 288,
      end: 342,
      offsetTop: 4800,
      totalHeight: 16_700,
    });
    expect(w.end - w.start).toBeLessThan(60);
  });

  it('stops at both ends: the top, a partial last row, past the end, and nothing', () => {
    const base = { count: 10, columns: 4, rowHeight: 50, viewportHeight: 100, overscanRows: 1 };
    expect(virtualWindow({ ...base, scrollTop: 0 })).toMatchObject({
      rows: 3,
      firstRow: 0,
      endRow: 3,
      start: 0,
      end: 10,
    });
    // Scrolled past the end (the grid just shrank): the last screenful, not nothing. 40 items
    // are 10 rows (500 px); the last 100 px are rows 8–9, with row 7 as overscan.
    expect(virtualWindow({ ...base, count: 40, scrollTop: 10_000 })).toMatchObject({
      firstRow: 7,
      start: 28,
      end: 40,
    });
    expect(virtualWindow({ ...base, scrollTop: -40 }).start).toBe(0);
    expect(virtualWindow({ ...base, count: 0, scrollTop: 0 })).toMatchObject({
      rows: 0,
      start: 0,
      end: 0,
      totalHeight: 0,
    });
  });

  it('fits as many columns as the width allows, at least one', () => {
    expect(columnsFor(900, 128, 8)).toBe(6); // 6·128 + 5·8 = 808 ≤ 900 < 944
    expect(columnsFor(944, 128, 8)).toBe(7);
    expect(columnsFor(50, 128, 8)).toBe(1);
    expect(columnsFor(0, 128, 8)).toBe(1);
  });

  it('scrolls as little as needed to show an item', () => {
    // Row 10 spans 1000–1100 at 100 px a row (item 60 at 6 columns).
    expect(scrollToShow(60, 6, 100, 300, 0)).toBe(800);
    expect(scrollToShow(60, 6, 100, 300, 900)).toBe(900);
    expect(scrollToShow(60, 6, 100, 300, 1050)).toBe(1000);
  });
});

describe('focus keys', () => {
  it('moves through a list laid out in rows, clamped at its ends', () => {
    expect(listMove('ArrowRight', 5, 20, 6, 3)).toBe(6);
    expect(listMove('ArrowRight', 19, 20, 6, 3)).toBe(19);
    expect(listMove('ArrowLeft', 0, 20, 6, 3)).toBe(0);
    expect(listMove('ArrowDown', 5, 20, 6, 3)).toBe(11);
    // No item below in the partial last row: stay.
    expect(listMove('ArrowDown', 15, 20, 6, 3)).toBe(15);
    expect(listMove('ArrowUp', 3, 20, 6, 3)).toBe(3);
    expect(listMove('PageDown', 0, 20, 6, 3)).toBe(18);
    expect(listMove('PageUp', 19, 20, 6, 3)).toBe(1);
    expect(listMove('Home', 12, 20, 6, 3)).toBe(0);
    expect(listMove('End', 2, 20, 6, 3)).toBe(19);
    expect(listMove('a', 2, 20, 6, 3)).toBeNull();
    expect(listMove('End', 0, 0, 6, 3)).toBeNull();
  });

  it('moves through a grid of cells, stopping at the edges', () => {
    expect(gridMove('ArrowRight', { row: 4, col: 9 }, 10, 10)).toEqual({ row: 4, col: 9 });
    expect(gridMove('ArrowLeft', { row: 4, col: 9 }, 10, 10)).toEqual({ row: 4, col: 8 });
    expect(gridMove('ArrowDown', { row: 9, col: 2 }, 10, 10)).toEqual({ row: 9, col: 2 });
    expect(gridMove('ArrowUp', { row: 1, col: 2 }, 10, 10)).toEqual({ row: 0, col: 2 });
    expect(gridMove('Home', { row: 3, col: 5 }, 10, 10)).toEqual({ row: 3, col: 0 });
    expect(gridMove('End', { row: 3, col: 5 }, 10, 10)).toEqual({ row: 3, col: 9 });
    expect(gridMove('Home', { row: 3, col: 5 }, 10, 10, true)).toEqual({ row: 0, col: 0 });
    expect(gridMove('End', { row: 3, col: 5 }, 10, 10, true)).toEqual({ row: 9, col: 9 });
    expect(gridMove('Enter', { row: 3, col: 5 }, 10, 10)).toBeNull();
  });
});
