import { writeFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/engine/dataset-files';
import { loadIdx } from '../../src/engine/idx-file';
import { encodeIdx } from '../../src/shared/idx';
import { mnistSubset, tempDir, writeDatasetFolder } from '../helpers/fixtures';

const subset = mnistSubset(50, 20);

describe('loadDataset', () => {
  it('loads a raw IDX folder with the real MNIST bytes', async () => {
    const data = await loadDataset({ kind: 'folder', path: writeDatasetFolder(subset) });
    expect(data.train.count).toBe(50);
    expect(data.test.count).toBe(20);
    expect(Array.from(data.train.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
    expect(data.train.images).toEqual(subset.trainImages);
    expect(data.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('loads the same data from gzip files, with the same fingerprint', async () => {
    const raw = await loadDataset({ kind: 'folder', path: writeDatasetFolder(subset) });
    const gz = await loadDataset({
      kind: 'folder',
      path: writeDatasetFolder(subset, { gzip: true }),
    });
    expect(gz.test.images).toEqual(raw.test.images);
    expect(gz.fingerprint).toBe(raw.fingerprint);
  });

  it('loads the bundled MNIST: 60,000 training and 10,000 test images', async () => {
    const data = await loadDataset({ kind: 'bundled' });
    expect([data.train.count, data.test.count]).toEqual([60000, 10000]);
  });

  it('names the missing file of an incomplete folder', async () => {
    await expect(loadDataset({ kind: 'folder', path: tempDir() })).rejects.toThrow(
      /has no train-images-idx3-ubyte/,
    );
  });

  it('rejects a label file whose count does not match the images', async () => {
    const dir = writeDatasetFolder(subset);
    writeFileSync(
      path.join(dir, 't10k-labels-idx1-ubyte'),
      encodeIdx([19], subset.testLabels.slice(0, 19)),
    );
    await expect(loadDataset({ kind: 'folder', path: dir })).rejects.toThrow(
      /t10k-images-idx3-ubyte: holds 20 images but .*t10k-labels-idx1-ubyte holds 19 labels/,
    );
  });

  it('rejects a label out of range, naming the file', async () => {
    const dir = writeDatasetFolder(subset);
    const labels = subset.trainLabels.slice();
    labels[7] = 12;
    writeFileSync(path.join(dir, 'train-labels-idx1-ubyte'), encodeIdx([50], labels));
    await expect(loadDataset({ kind: 'folder', path: dir })).rejects.toThrow(
      /train-labels-idx1-ubyte: label 12 at index 7 is out of range 0–9/,
    );
  });
});

describe('loadIdx corrupt files', () => {
  const write = (name: string, bytes: Uint8Array) => {
    const file = path.join(tempDir(), name);
    writeFileSync(file, bytes);
    return file;
  };
  const images = { rank: 3, itemShape: [28, 28] };

  it('wrong magic', async () => {
    const bytes = encodeIdx([1, 28, 28], new Uint8Array(784));
    bytes[1] = 0x42;
    await expect(loadIdx(write('m.idx', bytes), images)).rejects.toThrow(
      /m\.idx: wrong magic number/,
    );
  });

  it('truncated raw file', async () => {
    const bytes = encodeIdx([2, 28, 28], new Uint8Array(2 * 784)).subarray(0, 1000);
    await expect(loadIdx(write('t.idx', bytes), images)).rejects.toThrow(
      /t\.idx: truncated: 1000 bytes/,
    );
  });

  it('truncated gzip file', async () => {
    const gz = zlib.gzipSync(encodeIdx([2, 28, 28], subset.trainImages.slice(0, 2 * 784)));
    // Cut anywhere, the error says truncated and never quotes the bogus "trailer" size.
    for (const cut of [4, 30, Math.floor(gz.length / 2)]) {
      const message = await loadIdx(write(`t${cut}.gz`, gz.subarray(0, gz.length - cut)), images)
        .then(() => 'loaded')
        .catch((err: Error) => err.message);
      expect(message, `cut ${cut}`).toMatch(new RegExp(`t${cut}\\.gz.*is truncated`));
      expect(message).not.toMatch(/\d{7,}/);
    }
  });

  it('absurd dimensions are refused before allocation (raw and gzip)', async () => {
    const bytes = encodeIdx([4_000_000_000, 28, 28], new Uint8Array(64));
    await expect(loadIdx(write('a.idx', bytes), images)).rejects.toThrow(/absurd dimensions/);
    await expect(loadIdx(write('a.gz', zlib.gzipSync(bytes)), images)).rejects.toThrow(
      /absurd dimensions/,
    );
  });

  it('a gzip bomb that lies about its size is stopped at the declared size', async () => {
    const gz = Buffer.from(zlib.gzipSync(new Uint8Array(5_000_000)));
    gz.writeUInt32LE(1000, gz.length - 4); // trailer claims 1000 bytes
    await expect(loadIdx(write('bomb.gz', gz), images)).rejects.toThrow(/bomb\.gz: inflates past/);
  });

  it('a file named .gz that is not gzip', async () => {
    await expect(
      loadIdx(write('x.gz', encodeIdx([1], new Uint8Array(1))), { rank: 1 }),
    ).rejects.toThrow(/x\.gz: .*not gzip data|too short/);
  });
});
