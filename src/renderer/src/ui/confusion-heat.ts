// A confusion matrix as the heat map shows it (confusion-heat-map.vue, used by the Evaluate view
// and any view with a matrix to show): counts, per-class recall and precision, and a heat value
// per cell. Heat is the cell's share of its row (how often that digit gets
// that answer), square-rooted so that the few percent of mistakes are visible next to diagonal
// cells near 100%. Pure.

export interface ConfusionCell {
  actual: number;
  predicted: number;
  count: number;
  /** count / row total (0 for an empty row). */
  share: number;
  /** 0…1, for the colour. */
  heat: number;
  diagonal: boolean;
}

export interface ConfusionRow {
  actual: number;
  cells: ConfusionCell[];
  total: number;
  /** Correct / row total; null for a digit with no test images. */
  recall: number | null;
}

export interface ConfusionView {
  classes: number;
  rows: ConfusionRow[];
  columnTotals: number[];
  /** Correct / column total; null for a digit never predicted. */
  precision: Array<number | null>;
  total: number;
  correct: number;
}

export interface Confusion {
  actual: number;
  predicted: number;
  count: number;
}

/** Throws when the matrix is not square with non-negative integer counts. */
function checkSquare(matrix: readonly (readonly number[])[]): number {
  const n = matrix.length;
  for (const row of matrix) {
    if (row.length !== n) throw new Error(`confusion matrix is not square (${n} rows)`);
    for (const v of row)
      if (!Number.isInteger(v) || v < 0) throw new Error(`confusion matrix has a bad count: ${v}`);
  }
  return n;
}

export function confusionView(matrix: readonly (readonly number[])[]): ConfusionView {
  const n = checkSquare(matrix);
  const columnTotals = new Array<number>(n).fill(0);
  let total = 0;
  let correct = 0;
  const rows: ConfusionRow[] = matrix.map((counts, actual) => {
    const rowTotal = counts.reduce((sum, v) => sum + v, 0);
    total += rowTotal;
    correct += counts[actual] ?? 0;
    const cells = counts.map((count, predicted) => {
      columnTotals[predicted] = (columnTotals[predicted] ?? 0) + count;
      const share = rowTotal > 0 ? count / rowTotal : 0;
      return {
        actual,
        predicted,
        count,
        share,
        heat: Math.sqrt(share),
        diagonal: actual === predicted,
      };
    });
    return {
      actual,
      cells,
      total: rowTotal,
      recall: rowTotal > 0 ? (counts[actual] ?? 0) / rowTotal : null,
    };
  });
  const precision = columnTotals.map((colTotal, k) =>
    colTotal > 0 ? (matrix[k]?.[k] ?? 0) / colTotal : null,
  );
  return { classes: n, rows, columnTotals, precision, total, correct };
}

/** The most frequent mistakes (off-diagonal cells), largest first; ties by digit. */
export function topConfusions(matrix: readonly (readonly number[])[], limit = 5): Confusion[] {
  const found: Confusion[] = [];
  matrix.forEach((row, actual) =>
    row.forEach((count, predicted) => {
      if (actual !== predicted && count > 0) found.push({ actual, predicted, count });
    }),
  );
  found.sort((a, b) => b.count - a.count || a.actual - b.actual || a.predicted - b.predicted);
  return found.slice(0, limit);
}

/** What a screen reader hears for a cell, e.g. "true 4, predicted 9: 12 images, 1.2% of true 4s". */
export function cellDescription(cell: ConfusionCell, labels?: readonly string[]): string {
  const name = (k: number): string => labels?.[k] ?? String(k);
  const images = `${cell.count} image${cell.count === 1 ? '' : 's'}`;
  const share = `${(cell.share * 100).toFixed(1)}% of true ${name(cell.actual)}s`;
  return `true ${name(cell.actual)}, predicted ${name(cell.predicted)}: ${images}, ${share}`;
}
