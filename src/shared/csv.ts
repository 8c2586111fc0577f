// CSV (RFC 4180): fields with commas, quotes or line breaks are quoted, quotes doubled.
// The classification CSV has a fixed header shared by the CLI and the Classify view.
import { isCorrect, labelFromPath } from './class-labels';
import { className, DIGIT_CLASS_NAMES } from './dataset-identity';
import type { FileClassification, SampleDetails } from './engine-protocol';
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
  // Added after the original columns, so readers that take them by position still work.
  'label',
  'correct',
  // The two classes by name (Fashion-MNIST's Sneaker, an image folder's subfolder; the digit for
  // an MNIST model), after the numbers for the same reason.
  'predicted_name',
  'label_name',
] as const;

/**
 * A classified file, with the label its class-named folder gives it (see class-labels.ts):
 * undefined means "infer it from the path", null "no label".
 */
export type LabelledClassification = FileClassification & { label?: number | null };

/**
 * One CSV line per file; warnings go into the error column of otherwise good files. `label` and
 * `correct` (true/false) are empty for files outside class-named folders and for failed files.
 * `classNames` are the model's, by label: they name the classes and the folders that label files.
 */
export function classificationCsvRow(
  r: LabelledClassification,
  classNames: readonly string[] = DIGIT_CLASS_NAMES,
): string {
  const probs = r.probabilities ?? new Array<null>(NUM_CLASSES).fill(null);
  const note = r.error ?? (r.warnings.length > 0 ? r.warnings.join('; ') : '');
  const label = r.label === undefined ? labelFromPath(r.path, classNames) : r.label;
  const correct = isCorrect(r.error === null ? r.predicted : null, label);
  return csvRow([
    r.path,
    r.predicted,
    r.confidence === null ? null : r.confidence.toFixed(6),
    ...probs.map((p) => (p === null ? null : p.toFixed(6))),
    note,
    label,
    correct === null ? null : String(correct),
    r.predicted === null ? null : className(classNames, r.predicted),
    label === null ? null : className(classNames, label),
  ]);
}

export function classificationCsv(
  results: LabelledClassification[],
  classNames: readonly string[] = DIGIT_CLASS_NAMES,
): string {
  const rows = results.map((r) => classificationCsvRow(r, classNames));
  return [csvRow([...CLASSIFICATION_CSV_HEADER]), ...rows].join('\n') + '\n';
}

export const MISCLASSIFIED_CSV_HEADER = [
  'index',
  'label',
  'predicted',
  'confidence',
  ...Array.from({ length: NUM_CLASSES }, (_, k) => `p${k}`),
] as const;

/**
 * The wrong predictions of an evaluation (index = the sample's place in the test split), in
 * dataset order; needs the details with all ten probabilities.
 */
export function misclassifiedCsv(details: SampleDetails): string {
  const { labels, predicted, probabilities, top3Probabilities } = details;
  if (!probabilities) throw new Error('the evaluation has no per-sample probabilities');
  const rows = [csvRow([...MISCLASSIFIED_CSV_HEADER])];
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === predicted[i]) continue;
    const probs = Array.from(probabilities.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES));
    rows.push(
      csvRow([
        i,
        labels[i],
        predicted[i],
        (top3Probabilities[3 * i] as number).toFixed(6),
        ...probs.map((p) => p.toFixed(6)),
      ]),
    );
  }
  return rows.join('\n') + '\n';
}
