// The Dataset view's logic, pure: the form turned into a datasetSummary request, and a summary
// plus the sample images turned into rows (one per class: counts, share, thumbnails).
import type { DatasetImages, DatasetSummary } from '../../../../shared/engine-protocol';
import { MNIST_PIXELS, MNIST_SIDE } from '../../../../shared/mnist-shape';
import type { VerbRequest } from '../../../../shared/studio-contract';
import { greyFromBytes, type GreyImage } from '../../ui/grey-image';
import { isAbsolutePath } from '../models/models-export';

export const SAMPLES_PER_CLASS = 8;

export interface DatasetForm {
  source: 'bundled' | 'folder';
  folder: string;
}

export type DatasetSummaryRequest = NonNullable<VerbRequest<'datasetSummary'>>;

export function datasetSummaryRequest(form: DatasetForm): {
  request: DatasetSummaryRequest | null;
  error: string | null;
} {
  if (form.source === 'bundled') return { request: { perClass: SAMPLES_PER_CLASS }, error: null };
  const folder = form.folder.trim();
  if (!folder) return { request: null, error: 'Enter the dataset folder.' };
  if (!isAbsolutePath(folder))
    return { request: null, error: 'Give a full path (starting with / or a drive letter).' };
  return {
    request: { dataset: { kind: 'folder', path: folder }, perClass: SAMPLES_PER_CLASS },
    error: null,
  };
}

export type Split = 'train' | 'test';

/** Every sample index of one split, class after class (one dataset-images request). */
export function sampleIndices(summary: DatasetSummary, split: Split): number[] {
  return summary.classes.flatMap((c) => c.samples[split]);
}

export interface ClassRow {
  label: number;
  name: string;
  train: number;
  test: number;
  /** Share of the training split, in [0, 1]. */
  share: number;
  /** The class's sample thumbnails in the split shown. */
  samples: Array<{ index: number; image: GreyImage }>;
}

/** Rows per class; `images` answers sampleIndices(summary, split), in that order. */
export function classRows(
  summary: DatasetSummary,
  split: Split,
  images: DatasetImages | null,
): ClassRow[] {
  const position = new Map<number, number>();
  images?.indices.forEach((index, k) => position.set(index, k));
  return summary.classes.map((c) => ({
    label: c.label,
    name: c.name,
    train: c.counts.train,
    test: c.counts.test,
    share: summary.totals.train > 0 ? c.counts.train / summary.totals.train : 0,
    samples: c.samples[split].flatMap((index) => {
      const k = position.get(index);
      if (!images || k === undefined) return [];
      return [
        { index, image: greyFromBytes(images.pixels, MNIST_SIDE, MNIST_SIDE, k * MNIST_PIXELS) },
      ];
    }),
  }));
}
