// Small real datasets for tests: the first samples of the bundled MNIST, written as IDX files
// (raw or gzip) into a temporary folder, plus helpers to write corrupt variants.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { bundledMnistDir } from '../../src/engine/dataset-files';
import { encodeIdx } from '../../src/shared/idx';

export function tempDir(prefix = 'lenet-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface MnistSubset {
  trainImages: Uint8Array;
  trainLabels: Uint8Array;
  testImages: Uint8Array;
  testLabels: Uint8Array;
}

/** The first `train`/`test` samples of the real MNIST files. */
export function mnistSubset(train: number, test: number): MnistSubset {
  const dir = bundledMnistDir();
  const read = (name: string) => new Uint8Array(readFileSync(path.join(dir, name)));
  return {
    trainImages: read('train-images-idx3-ubyte').slice(16, 16 + train * 784),
    trainLabels: read('train-labels-idx1-ubyte').slice(8, 8 + train),
    testImages: read('t10k-images-idx3-ubyte').slice(16, 16 + test * 784),
    testLabels: read('t10k-labels-idx1-ubyte').slice(8, 8 + test),
  };
}

/** Writes an MNIST-named dataset folder; `gzip` compresses all four files. */
export function writeDatasetFolder(subset: MnistSubset, options: { gzip?: boolean } = {}): string {
  const dir = tempDir('lenet-data-');
  const files: Array<[string, Uint8Array]> = [
    ['train-images-idx3-ubyte', encodeIdx([subset.trainLabels.length, 28, 28], subset.trainImages)],
    ['train-labels-idx1-ubyte', encodeIdx([subset.trainLabels.length], subset.trainLabels)],
    ['t10k-images-idx3-ubyte', encodeIdx([subset.testLabels.length, 28, 28], subset.testImages)],
    ['t10k-labels-idx1-ubyte', encodeIdx([subset.testLabels.length], subset.testLabels)],
  ];
  for (const [name, bytes] of files) {
    if (options.gzip) writeFileSync(path.join(dir, `${name}.gz`), zlib.gzipSync(bytes));
    else writeFileSync(path.join(dir, name), bytes);
  }
  return dir;
}
