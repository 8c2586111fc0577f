// The Dataset view's summary, through a real engine process: classes, counts per split and
// sample indices per class for the bundled MNIST, an IDX folder and an image folder (with a
// broken file and an empty class); errors name the folder.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineHost } from '../../src/host/engine-host';
import { createNodeEngineHost } from '../../src/host/engine-host-node';
import { mnistSubset, tempDir, writeDatasetFolder } from '../helpers/fixtures';
import { writeImageFolder } from '../helpers/image-folder';

let host: EngineHost;
beforeAll(() => {
  host = createNodeEngineHost({ runsDir: tempDir(), restart: false });
});
afterAll(() => host?.dispose());

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('dataset-summary', () => {
  it('counts the bundled MNIST per class (60,000 / 10,000) with samples of each class', async () => {
    const s = await host.request({ type: 'dataset-summary', perClass: 4 });
    expect(s).toMatchObject({ format: 'idx', totals: { train: 60_000, test: 10_000 } });
    expect(s.classes.map((c) => c.name)).toEqual([
      '0',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
    ]);
    expect(sum(s.classes.map((c) => c.counts.train))).toBe(60_000);
    expect(sum(s.classes.map((c) => c.counts.test))).toBe(10_000);
    // MNIST's well-known class sizes: 1 is the largest class of the training set.
    expect(s.classes[1]!.counts).toEqual({ train: 6742, test: 1135 });
    // The sample indices are images of their class.
    for (const split of ['train', 'test'] as const) {
      const indices = s.classes.flatMap((c) => c.samples[split]);
      expect(indices).toHaveLength(40);
      const images = await host.request({ type: 'dataset-images', split, indices });
      expect(Array.from(images.labels)).toEqual(
        s.classes.flatMap((c) => c.samples[split].map(() => c.label)),
      );
    }
  });

  it('summarises an IDX folder from its own labels', async () => {
    const subset = mnistSubset(100, 30);
    const dir = writeDatasetFolder(subset);
    const s = await host.request({
      type: 'dataset-summary',
      dataset: { kind: 'folder', path: dir },
      perClass: 2,
    });
    expect(s.totals).toEqual({ train: 100, test: 30 });
    const counts = new Array<number>(10).fill(0);
    for (const l of subset.trainLabels) counts[l]! += 1;
    expect(s.classes.map((c) => c.counts.train)).toEqual(counts);
    expect(s.classes[0]!.samples.train).toEqual(
      Array.from(subset.trainLabels.keys())
        .filter((i) => subset.trainLabels[i] === 0)
        .slice(0, 2),
    );
  });

  it('names an image folder’s classes by its folders, with broken files and empty classes', async () => {
    const dir = tempDir('lenet-summary-images-');
    await writeImageFolder(dir, 10, 3);
    mkdirSync(path.join(dir, '9'));
    writeFileSync(path.join(dir, '1', 'broken.png'), 'not an image');
    const s = await host.request({
      type: 'dataset-summary',
      dataset: { kind: 'folder', path: dir },
    });
    expect(s.format).toBe('image-folder');
    expect(s.classes.map((c) => [c.label, c.name])).toEqual([
      [0, '0'],
      [1, '1'],
      [2, '2'],
      [9, '9'],
    ]);
    expect(s.classes.map((c) => c.counts.train + c.counts.test)).toEqual([10, 10, 10, 0]);
    expect(s.totals.train + s.totals.test).toBe(30);
    expect(s.broken).toEqual([
      { path: path.join(dir, '1', 'broken.png'), error: expect.any(String) },
    ]);
    expect(s.emptyClasses).toEqual(['9']);
  }, 60_000);

  it('names the folder and the fault when it is not a dataset', async () => {
    const dir = tempDir('lenet-summary-nothing-');
    await expect(
      host.request({ type: 'dataset-summary', dataset: { kind: 'folder', path: dir } }),
    ).rejects.toThrow(new RegExp(`${dir}.*has no train-images-idx3-ubyte`));
    await expect(
      host.request({
        type: 'dataset-summary',
        dataset: { kind: 'folder', path: path.join(dir, 'gone') },
      }),
    ).rejects.toThrow(/gone cannot be read/);
    await expect(host.request({ type: 'dataset-summary', perClass: 1000 })).rejects.toThrow(
      /perClass/,
    );
  });
});
