// An image-folder dataset (the DIGITS / Keras layout): one subfolder per class, named for it,
// holding PNG/JPEG/BMP/GIF files — or `train/` and `test/` folders with that layout each. Every
// image is decoded once through the same MNIST preprocessing as classify-files (inference),
// and kept as 28×28 bytes like an IDX dataset. A file that cannot be decoded is listed, not
// fatal; a class folder without images is reported. Without `train/` and `test/`, a seeded
// share goes to the test split; the training split is shuffled with the same fixed seed, so the
// validation tail a run takes from it holds every class.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { MNIST_PIXELS, NUM_CLASSES } from '../shared/mnist-shape';
import { createRng, shuffledIndices } from '../shared/random';
import { decodeAndPreprocess, readImageFile } from './image-files';
import type { DatasetData, Split } from './dataset-files';

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.bmp', '.gif'];
/** Share of the images that become the test split when the folder has no `test/`. */
export const IMAGE_FOLDER_TEST_SHARE = 0.2;
/** The split is a property of the dataset (its fingerprint), not of a run: a fixed seed. */
const SPLIT_SEED = 1998;

export interface ImageFolderReport {
  /** Class names (folder names), by label. */
  classes: string[];
  counts: { train: number[]; test: number[] };
  /** Files with an image extension that could not be decoded, and why. */
  broken: Array<{ path: string; error: string }>;
  /** Class folders holding no usable image. */
  emptyClasses: string[];
}

interface Sample {
  pixels: Uint8Array;
  label: number;
}

async function subfolders(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}

/** True when `dir` looks like an image folder: class subfolders (or train/ and test/). */
export async function isImageFolder(dir: string): Promise<boolean> {
  return (await subfolders(dir).catch(() => [])).length > 0;
}

/**
 * Labels for the class names: digit folders `0`…`9` are their own digit (so `3/` is class 3
 * even when other digits are missing); other names are numbered in sorted order.
 */
function labelsFor(names: string[], dir: string): Map<string, number> {
  if (names.length > NUM_CLASSES) {
    throw new Error(
      `${dir} has ${names.length} class folders; the models here have ${NUM_CLASSES} outputs`,
    );
  }
  const digits = names.every((n) => /^\d$/.test(n));
  return new Map(names.map((n, i) => [n, digits ? Number(n) : i]));
}

async function readClass(
  dir: string,
  label: number,
  broken: ImageFolderReport['broken'],
): Promise<Sample[]> {
  const names = (await fs.readdir(dir, { recursive: true }))
    .filter((n) => IMAGE_EXTENSIONS.includes(path.extname(n).toLowerCase()))
    .sort();
  const samples: Sample[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      const { pixels } = decodeAndPreprocess(await readImageFile(file));
      samples.push({ pixels: Uint8Array.from(pixels, (v) => Math.round(v * 255)), label });
    } catch (err) {
      broken.push({ path: file, error: (err as Error).message });
    }
  }
  return samples;
}

async function readSplitFolder(
  dir: string,
  labels: Map<string, number>,
  report: ImageFolderReport,
  root: string,
): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (const [name, label] of labels) {
    const classDir = path.join(dir, name);
    const found = (await fs.stat(classDir).catch(() => null))?.isDirectory()
      ? await readClass(classDir, label, report.broken)
      : [];
    if (found.length === 0) report.emptyClasses.push(path.relative(root, classDir) || name);
    samples.push(...found);
  }
  return samples;
}

function toSplit(samples: Sample[], order: ArrayLike<number>): Split {
  const images = new Uint8Array(order.length * MNIST_PIXELS);
  const labels = new Uint8Array(order.length);
  for (let k = 0; k < order.length; k++) {
    const s = samples[order[k] as number] as Sample;
    images.set(s.pixels, k * MNIST_PIXELS);
    labels[k] = s.label;
  }
  return { images, labels, count: order.length };
}

function countsOf(split: Split): number[] {
  const counts = new Array<number>(NUM_CLASSES).fill(0);
  for (const l of split.labels) counts[l]! += 1;
  return counts;
}

export async function loadImageFolder(
  dir: string,
): Promise<DatasetData & { report: ImageFolderReport }> {
  const top = await subfolders(dir);
  const presplit = top.includes('train') && top.includes('test');
  const classNames = presplit
    ? [
        ...new Set([
          ...(await subfolders(path.join(dir, 'train'))),
          ...(await subfolders(path.join(dir, 'test'))),
        ]),
      ].sort()
    : top;
  const labels = labelsFor(classNames, dir);
  const report: ImageFolderReport = {
    classes: classNames,
    counts: { train: [], test: [] },
    broken: [],
    emptyClasses: [],
  };
  const rng = createRng(SPLIT_SEED);
  let train: Split;
  let test: Split;
  if (presplit) {
    const trainSamples = await readSplitFolder(path.join(dir, 'train'), labels, report, dir);
    const testSamples = await readSplitFolder(path.join(dir, 'test'), labels, report, dir);
    train = toSplit(trainSamples, shuffledIndices(trainSamples.length, rng));
    test = toSplit(testSamples, Array.from(testSamples.keys()));
  } else {
    const samples = await readSplitFolder(dir, labels, report, dir);
    const order = shuffledIndices(samples.length, rng);
    const testCount = Math.round(samples.length * IMAGE_FOLDER_TEST_SHARE);
    // The test split in file order (class by class): stable indices for galleries.
    test = toSplit(
      samples,
      Array.from(order.subarray(0, testCount)).sort((a, b) => a - b),
    );
    train = toSplit(samples, order.subarray(testCount));
  }
  if (train.count === 0) throw new Error(`${dir} holds no training images that could be decoded`);
  if (test.count === 0) throw new Error(`${dir} holds too few images for a test split`);
  report.counts = { train: countsOf(train), test: countsOf(test) };
  const hash = createHash('sha256');
  hash.update(JSON.stringify(classNames));
  for (const part of [train.images, train.labels, test.images, test.labels]) hash.update(part);
  return {
    name: path.basename(dir),
    kind: 'image-folder',
    classNames,
    dir,
    train,
    test,
    fingerprint: `sha256:${hash.digest('hex')}`,
    report,
  };
}
