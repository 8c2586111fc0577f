// Image-folder datasets: PNGs written here from MNIST digits (one folder per class) decode
// through the MNIST preprocessing, split, train; broken files are listed, empty classes named.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/engine/dataset-files';
import { loadImageFolder } from '../../src/engine/image-folder-dataset';
import type { EngineHost } from '../../src/host/engine-host';
import { createNodeEngineHost } from '../../src/host/engine-host-node';
import type { StudioEvent } from '../../src/shared/studio-contract';
import { tempDir } from '../helpers/fixtures';
import { writeImageFolder } from '../helpers/image-folder';

const PER_CLASS = 80;

let folder: string;
beforeAll(async () => {
  folder = tempDir('lenet-images-');
  await writeImageFolder(folder, PER_CLASS);
  writeFileSync(path.join(folder, '3', 'broken.png'), 'not an image');
  writeFileSync(path.join(folder, '7', 'notes.txt'), 'ignored: not an image extension');
}, 60_000);

const hosts: EngineHost[] = [];
afterAll(() => hosts.forEach((h) => h.dispose()));

describe('image-folder datasets', () => {
  it('decodes every image once, lists broken files and splits by a seeded share', async () => {
    const data = await loadDataset({ kind: 'folder', path: folder });
    expect(data.report!.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(data.report!.broken).toEqual([
      { path: path.join(folder, '3', 'broken.png'), error: expect.any(String) },
    ]);
    expect(data.report!.emptyClasses).toEqual([]);
    expect(data.train.count + data.test.count).toBe(10 * PER_CLASS);
    expect(data.test.count).toBe(Math.round(10 * PER_CLASS * 0.2));
    const counts = data.report!.counts;
    expect(counts.train.map((n, k) => n + counts.test[k]!)).toEqual(new Array(10).fill(PER_CLASS));
    // The same split and fingerprint every time (a property of the data, not of the run).
    const again = await loadImageFolder(folder);
    expect(again.fingerprint).toBe(data.fingerprint);
    expect(Buffer.from(again.test.labels)).toEqual(Buffer.from(data.test.labels));
    // The training split is shuffled: its tail (a run's validation set) holds many classes.
    expect(new Set(data.train.labels.subarray(-60)).size).toBeGreaterThan(5);
  });

  it('uses train/ and test/ when present and reports a class without images', async () => {
    const dir = tempDir('lenet-presplit-');
    await writeImageFolder(path.join(dir, 'train'), 5, 3);
    await writeImageFolder(path.join(dir, 'test'), 2, 2);
    mkdirSync(path.join(dir, 'test', '2'));
    const data = await loadImageFolder(dir);
    expect(data.report.classes).toEqual(['0', '1', '2']);
    expect([data.train.count, data.test.count]).toEqual([15, 4]);
    expect(data.report.emptyClasses).toEqual([path.join('test', '2')]);
  });

  it('trains through the engine like MNIST, with the broken file in the log', async () => {
    const host = createNodeEngineHost({ runsDir: tempDir(), restart: false });
    hosts.push(host);
    const events: StudioEvent[] = [];
    host.onEvent((e) => events.push(e));
    const summary = await host.request({
      type: 'train',
      config: { dataset: { kind: 'folder', path: folder }, epochs: 3, batchSize: 32, seed: 2 },
    });
    expect(summary.testSamples).toBe(160);
    expect(summary.testAccuracy).toBeGreaterThan(0.6);
    const logs = events.flatMap((e) => (e.kind === 'log' ? [e.message] : []));
    expect(logs.some((m) => m.includes('broken.png'))).toBe(true);
    expect(logs.some((m) => m.includes('10 classes'))).toBe(true);
  }, 120_000);
});
