// Which items of a long grid (thousands of gallery images) are on screen: the rows the viewport
// shows plus a few either side, and how tall the whole grid is, so only those are rendered and
// the scroll bar still spans everything. Plus the keys that move a roving focus through such a
// grid, and the scroll that brings an item into view. Pure: the component measures, this counts.

export interface VirtualGridInput {
  count: number;
  /** Items per row (at least 1). */
  columns: number;
  /** One row's height including the gap below it, px. */
  rowHeight: number;
  viewportHeight: number;
  scrollTop: number;
  /** Rows rendered beyond each edge of the viewport, so a quick scroll does not show blanks. */
  overscanRows?: number;
}

export interface VirtualWindow {
  /** Rows in the whole grid. */
  rows: number;
  /** First rendered row and one past the last. */
  firstRow: number;
  endRow: number;
  /** First rendered item and one past the last (end ≤ count). */
  start: number;
  end: number;
  /** Where the first rendered row sits, px from the grid's top. */
  offsetTop: number;
  /** The whole grid's height, px. */
  totalHeight: number;
}

export function virtualWindow(input: VirtualGridInput): VirtualWindow {
  const columns = Math.max(1, Math.floor(input.columns));
  const rowHeight = Math.max(1, input.rowHeight);
  const count = Math.max(0, Math.floor(input.count));
  const overscan = Math.max(0, Math.floor(input.overscanRows ?? 2));
  const rows = Math.ceil(count / columns);
  // A scroll position past the end (the grid just shrank) shows the last screenful, not nothing.
  const viewport = Math.max(0, input.viewportHeight);
  const top = Math.min(Math.max(0, input.scrollTop), Math.max(0, rows * rowHeight - viewport));
  const visibleFirst = Math.floor(top / rowHeight);
  const visibleEnd = Math.ceil((top + viewport) / rowHeight);
  const firstRow = Math.min(rows, Math.max(0, visibleFirst - overscan));
  const endRow = Math.min(rows, Math.max(firstRow, visibleEnd + overscan));
  return {
    rows,
    firstRow,
    endRow,
    start: Math.min(count, firstRow * columns),
    end: Math.min(count, endRow * columns),
    offsetTop: firstRow * rowHeight,
    totalHeight: rows * rowHeight,
  };
}

/** How many items of at least `minItemWidth` fit in `width` with `gap` between them (≥ 1). */
export function columnsFor(width: number, minItemWidth: number, gap: number): number {
  if (!(width > 0) || !(minItemWidth > 0)) return 1;
  return Math.max(1, Math.floor((width + gap) / (minItemWidth + gap)));
}

/**
 * The scrollTop that shows item `index` whole, moving as little as possible (unchanged when it
 * is already in view).
 */
export function scrollToShow(
  index: number,
  columns: number,
  rowHeight: number,
  viewportHeight: number,
  scrollTop: number,
  itemHeight = rowHeight,
): number {
  const row = Math.floor(index / Math.max(1, columns));
  const top = row * rowHeight;
  const bottom = top + itemHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}

/**
 * Where a key moves the focus in a list laid out `columns` to a row (arrows, Home/End,
 * PageUp/PageDown by `pageRows` rows); null for a key that does not move it.
 */
export function listMove(
  key: string,
  index: number,
  count: number,
  columns: number,
  pageRows: number,
): number | null {
  if (count <= 0) return null;
  const cols = Math.max(1, columns);
  const page = Math.max(1, pageRows) * cols;
  const clamp = (i: number): number => Math.min(count - 1, Math.max(0, i));
  switch (key) {
    case 'ArrowRight':
      return clamp(index + 1);
    case 'ArrowLeft':
      return clamp(index - 1);
    case 'ArrowDown':
      return index + cols < count ? index + cols : index;
    case 'ArrowUp':
      return index - cols >= 0 ? index - cols : index;
    case 'PageDown':
      return clamp(index + page);
    case 'PageUp':
      return clamp(index - page);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

export interface GridPosition {
  row: number;
  col: number;
}

/**
 * Where a key moves the focus in a rows × cols grid (a table of cells: arrows stop at the
 * edges, Home/End go to the row's ends, Ctrl+Home/End to the grid's corners); null otherwise.
 */
export function gridMove(
  key: string,
  at: GridPosition,
  rows: number,
  cols: number,
  ctrl = false,
): GridPosition | null {
  if (rows <= 0 || cols <= 0) return null;
  const row = Math.min(rows - 1, Math.max(0, at.row));
  const col = Math.min(cols - 1, Math.max(0, at.col));
  switch (key) {
    case 'ArrowRight':
      return { row, col: Math.min(cols - 1, col + 1) };
    case 'ArrowLeft':
      return { row, col: Math.max(0, col - 1) };
    case 'ArrowDown':
      return { row: Math.min(rows - 1, row + 1), col };
    case 'ArrowUp':
      return { row: Math.max(0, row - 1), col };
    case 'Home':
      return ctrl ? { row: 0, col: 0 } : { row, col: 0 };
    case 'End':
      return ctrl ? { row: rows - 1, col: cols - 1 } : { row, col: cols - 1 };
    default:
      return null;
  }
}
