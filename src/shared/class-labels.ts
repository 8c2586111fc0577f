// The label a file's folder gives it: files in class-named folders (the image-folder layout,
// `7/scan.png`, `digits/test/7/scan.png`) are scored against that label when classified. Shared
// by the Classify view and the CLI's CSV. Pure.
import { NUM_CLASSES } from './mnist-shape';

/**
 * The label of the file's own folder: a folder named 0–9 is that digit; otherwise a folder
 * named like one of `classNames` (a model's class names, by label) is that class. Only the
 * nearest folder counts, so `2024/scan.png` or `batch-3/x.png` deeper in a tree say nothing
 * unless that folder itself is a class name. Null when the folder names no class.
 */
export function labelFromPath(path: string, classNames: readonly string[] = []): number | null {
  const parts = path.split(/[\\/]+/).filter((p) => p.length > 0);
  if (parts.length < 2) return null;
  const folder = parts[parts.length - 2] as string;
  if (/^\d$/.test(folder)) {
    const digit = Number(folder);
    return digit < NUM_CLASSES ? digit : null;
  }
  const exact = classNames.indexOf(folder);
  if (exact >= 0) return exact;
  const lower = folder.toLowerCase();
  const loose = classNames.findIndex((n) => n.toLowerCase() === lower);
  return loose >= 0 ? loose : null;
}

/** True/false for a labelled, classified file; null when either is missing. */
export function isCorrect(predicted: number | null, label: number | null): boolean | null {
  return predicted === null || label === null ? null : predicted === label;
}
