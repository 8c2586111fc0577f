// What the Evaluate view's galleries show: which test images a selection holds (a confusion
// cell's, or the most confidently wrong across all classes), in the order of
// src/shared/gallery.ts, and what each image's card says (true label, prediction, top-3
// probabilities, dataset index). Pure, over the evaluation's per-sample arrays.
import type { SampleDetails } from '../../../../shared/engine-protocol';
import {
  cellGallery,
  mostConfidentlyWrong,
  type SamplePredictions,
} from '../../../../shared/gallery';

export type GallerySelection =
  { kind: 'cell'; actual: number; predicted: number } | { kind: 'wrong' };

export interface GalleryItem {
  /** The image's index in the test split (sample i is test image i). */
  index: number;
  label: number;
  predicted: number;
  correct: boolean;
  /** Most likely first. */
  top3: Array<{ label: number; probability: number }>;
}

/** The per-sample arrays as gallery.ts reads them: the confidence is top-3's first. */
export function samplePredictions(details: SampleDetails): SamplePredictions {
  const n = details.labels.length;
  const confidence = new Float32Array(n);
  for (let i = 0; i < n; i++) confidence[i] = details.top3Probabilities[3 * i] as number;
  return { labels: details.labels, predicted: details.predicted, confidence };
}

/** The sample indices a selection shows, most confident (in a mistake: most wrong) first. */
export function galleryIndices(samples: SamplePredictions, selection: GallerySelection): number[] {
  return selection.kind === 'cell'
    ? cellGallery(samples, selection.actual, selection.predicted)
    : mostConfidentlyWrong(samples);
}

export function galleryItem(details: SampleDetails, index: number): GalleryItem {
  if (!(index >= 0 && index < details.labels.length))
    throw new Error(`sample ${index} is outside the evaluation (0…${details.labels.length - 1})`);
  const label = details.labels[index] as number;
  const predicted = details.predicted[index] as number;
  const top3 = [0, 1, 2].map((k) => ({
    label: details.top3[3 * index + k] as number,
    probability: details.top3Probabilities[3 * index + k] as number,
  }));
  return { index, label, predicted, correct: label === predicted, top3 };
}

/** The gallery's heading, e.g. "True 4, predicted 9" or "Most confidently wrong". */
export function galleryTitle(selection: GallerySelection, labels?: readonly string[]): string {
  if (selection.kind === 'wrong') return 'Most confidently wrong';
  const name = (k: number): string => labels?.[k] ?? String(k);
  return `True ${name(selection.actual)}, predicted ${name(selection.predicted)}`;
}

export function sameSelection(a: GallerySelection | null, b: GallerySelection | null): boolean {
  if (!a || !b) return a === b;
  if (a.kind === 'wrong' || b.kind === 'wrong') return a.kind === b.kind;
  return a.actual === b.actual && a.predicted === b.predicted;
}

/**
 * The gallery positions [start, end) widened to whole pages of `pageSize`: images are fetched
 * a page at a time, so scrolling back and forth asks for each page once.
 */
export function pageSpan(
  start: number,
  end: number,
  count: number,
  pageSize: number,
): { start: number; end: number } {
  if (end <= start || count <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, start) / pageSize) * pageSize;
  const last = Math.min(count, Math.ceil(Math.min(end, count) / pageSize) * pageSize);
  return { start: first, end: last };
}
