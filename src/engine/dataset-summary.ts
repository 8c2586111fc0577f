// What a dataset holds, before any training: its classes (an image folder's folder names, or the
// ten digits of an IDX dataset), how many images each class has in each split, and the indices
// of each class's first images (shown through dataset-images). Straight from the decoded split.
import type { DatasetSummary } from '../shared/engine-protocol';
import { NUM_CLASSES } from '../shared/mnist-shape';
import type { DatasetData, Split } from './dataset-files';

/**
 * Class names by label. An image folder names its classes by its folders: digit folders are
 * their own label (so `3/` is class 3 even when other digits are missing), other names are
 * numbered in sorted order (as image-folder-dataset.ts assigns them). IDX datasets: the digits.
 */
export function classNames(data: DatasetData): Map<number, string> {
  const names = data.report?.classes;
  if (!names) return new Map(Array.from({ length: NUM_CLASSES }, (_, l) => [l, String(l)]));
  const digits = names.every((n) => /^\d$/.test(n));
  return new Map(names.map((n, i) => [digits ? Number(n) : i, n]));
}

/** Counts per label, and the first `perClass` indices of each label, in split order. */
function scan(split: Split, perClass: number) {
  const counts = new Array<number>(NUM_CLASSES).fill(0);
  const samples = Array.from({ length: NUM_CLASSES }, () => [] as number[]);
  for (let i = 0; i < split.count; i++) {
    const label = split.labels[i] as number;
    counts[label]! += 1;
    const list = samples[label]!;
    if (list.length < perClass) list.push(i);
  }
  return { counts, samples };
}

export function datasetSummary(data: DatasetData, perClass: number): DatasetSummary {
  const train = scan(data.train, perClass);
  const test = scan(data.test, perClass);
  const classes = [...classNames(data)]
    .sort(([a], [b]) => a - b)
    .map(([label, name]) => ({
      label,
      name,
      counts: { train: train.counts[label]!, test: test.counts[label]! },
      samples: { train: train.samples[label]!, test: test.samples[label]! },
    }));
  return {
    name: data.name,
    dir: data.dir,
    format: data.report ? 'image-folder' : 'idx',
    fingerprint: data.fingerprint,
    totals: { train: data.train.count, test: data.test.count },
    classes,
    broken: data.report?.broken ?? [],
    emptyClasses: data.report?.emptyClasses ?? [],
  };
}
