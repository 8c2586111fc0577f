// The Classify view's results: one row per file, and the filtered, sorted selection the grid
// shows. Pure functions over plain rows, so 10,000 results stay cheap to slice and count.
import type { LabelledClassification } from '../../../../shared/csv';
import type { FileClassification } from '../../../../shared/engine-protocol';
import { NUM_CLASSES } from '../../../../shared/mnist-shape';

export interface ClassifyRow extends FileClassification {
  /** Order of arrival, for "file order" and as a stable key. */
  id: number;
  /** The 28×28 the network saw, as a small data URL (null for files that failed). */
  /** 28×28 grey bytes of what the network saw (null for a file that failed). */
  thumbnail: Uint8Array | null;
  /** The label of its class-named folder (`7/x.png`), or null: see shared/class-labels.ts. */
  label: number | null;
}

/** A labelled file the model got wrong (its folder names another class). */
export function isWrong(row: ClassifyRow): boolean {
  return row.error === null && row.label !== null && row.predicted !== row.label;
}

/** A digit, every file, the files that failed, or the labelled files predicted wrong. */
export type ClassFilter = 'all' | 'errors' | 'wrong' | number;
export type SortOrder = 'input' | 'confidence-asc' | 'confidence-desc';

export interface ResultsView {
  classFilter: ClassFilter;
  lowConfidenceOnly: boolean;
  /** Below this confidence a prediction counts as low (0..1). */
  threshold: number;
  sort: SortOrder;
}

export const DEFAULT_VIEW: ResultsView = {
  classFilter: 'all',
  lowConfidenceOnly: false,
  threshold: 0.9,
  sort: 'input',
};

export function isLowConfidence(row: ClassifyRow, threshold: number): boolean {
  return row.error === null && row.confidence !== null && row.confidence < threshold;
}

export function selectRows(rows: readonly ClassifyRow[], view: ResultsView): ClassifyRow[] {
  const { classFilter, lowConfidenceOnly, threshold, sort } = view;
  const selected = rows.filter((row) => {
    if (classFilter === 'errors' && row.error === null) return false;
    if (classFilter === 'wrong' && !isWrong(row)) return false;
    if (typeof classFilter === 'number' && row.predicted !== classFilter) return false;
    if (lowConfidenceOnly && !isLowConfidence(row, threshold)) return false;
    return true;
  });
  if (sort === 'input') return selected;
  const sign = sort === 'confidence-asc' ? 1 : -1;
  // Failed files have no confidence: they go last either way, in file order.
  return selected.sort((a, b) => {
    if (a.confidence === null || b.confidence === null) {
      if (a.confidence === b.confidence) return a.id - b.id;
      return a.confidence === null ? 1 : -1;
    }
    return sign * (a.confidence - b.confidence) || a.id - b.id;
  });
}

export interface ResultCounts {
  total: number;
  classified: number;
  errors: number;
  /** Classified files per predicted digit. */
  byDigit: number[];
  low: number;
  /** Classified files that also carry a warning (e.g. very low contrast). */
  warned: number;
  /** Classified files with a label from their folder, and how many of them are right. */
  labelled: number;
  correct: number;
  /** correct / labelled; null without labelled files. */
  accuracy: number | null;
}

export function countResults(rows: readonly ClassifyRow[], threshold: number): ResultCounts {
  const counts: ResultCounts = {
    total: rows.length,
    classified: 0,
    errors: 0,
    byDigit: new Array<number>(10).fill(0),
    low: 0,
    warned: 0,
    labelled: 0,
    correct: 0,
    accuracy: null,
  };
  for (const row of rows) {
    if (row.error !== null || row.predicted === null) {
      counts.errors++;
      continue;
    }
    counts.classified++;
    counts.byDigit[row.predicted] = (counts.byDigit[row.predicted] ?? 0) + 1;
    if (isLowConfidence(row, threshold)) counts.low++;
    if (row.warnings.length > 0) counts.warned++;
    if (row.label !== null) {
      counts.labelled++;
      if (row.predicted === row.label) counts.correct++;
    }
  }
  counts.accuracy = counts.labelled > 0 ? counts.correct / counts.labelled : null;
  return counts;
}

/** The batch's confusion matrix over labelled, classified files: [label][predicted] counts. */
export function batchConfusion(rows: readonly ClassifyRow[]): number[][] {
  const matrix = Array.from({ length: NUM_CLASSES }, () => new Array<number>(NUM_CLASSES).fill(0));
  for (const row of rows) {
    if (row.error !== null || row.predicted === null || row.label === null) continue;
    matrix[row.label]![row.predicted]! += 1;
  }
  return matrix;
}

/** The rows as the shared CSV writer takes them (thumbnails and ids stay in the UI). */
export function toFileClassifications(
  rows: readonly ClassifyRow[],
): Array<FileClassification & LabelledClassification> {
  return rows.map(({ path, predicted, confidence, probabilities, error, warnings, label }) => ({
    path,
    predicted,
    confidence,
    probabilities,
    error,
    warnings,
    label,
  }));
}

/** A file name for the exported CSV, e.g. "lenet-classification-2025-01-31-1405.csv". */
export function csvFileName(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `lenet-classification-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}` +
    `-${pad(now.getHours())}${pad(now.getMinutes())}.csv`
  );
}
