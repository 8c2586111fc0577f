// CSV (RFC 4180): fields with commas, quotes or line breaks are quoted, quotes doubled.
// The classification CSV has a fixed header shared by the CLI and the Classify view.
import type { FileClassification } from './engine-protocol';
import { NUM_CLASSES } from './mnist-shape';

export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: Array<string | number | null | undefined>): string {
  return values.map(csvField).join(',');
}

export const CLASSIFICATION_CSV_HEADER = [
  'path',
  'predicted',
  'confidence',
  ...Array.from({ length: NUM_CLASSES }, (_, k) => `p${k}`),
  'error',
] as const;

/** One CSV line per file; warnings go into the error column of otherwise good files. */
export function classificationCsvRow(r: FileClassification): string {
  const probs = r.probabilities ?? new Array<null>(NUM_CLASSES).fill(null);
  const note = r.error ?? (r.warnings.length > 0 ? r.warnings.join('; ') : '');
  return csvRow([
    r.path,
    r.predicted,
    r.confidence === null ? null : r.confidence.toFixed(6),
    ...probs.map((p) => (p === null ? null : p.toFixed(6))),
    note,
  ]);
}

export function classificationCsv(results: FileClassification[]): string {
  return (
    [csvRow([...CLASSIFICATION_CSV_HEADER]), ...results.map(classificationCsvRow)].join('\n') + '\n'
  );
}
