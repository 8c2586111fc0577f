// Datasets carry their kind and class names; the studio recognises MNIST and Fashion-MNIST by
// fingerprint whatever folder they sit in, and names an image folder's classes after its
// subfolders.
import { existsSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasetIdentity, loadDataset } from '../../src/engine/dataset-files';
import { autoRunName, RunStore } from '../../src/engine/run-store';
import {
  classNamesOf,
  DIGIT_CLASS_NAMES,
  FASHION_CLASS_NAMES,
} from '../../src/shared/dataset-identity';
import { TrainingConfigSchema } from '../../src/shared/training-config';
import { createNodeEngineHost } from '../../src/host/engine-host-node';
import type { StudioEvent } from '../../src/shared/studio-events';
import { classMismatch } from '../../src/shared/dataset-identity';
import { mnistSubset, tempDir, writeDatasetFolder } from '../helpers/fixtures';
import { writeImageFolder } from '../helpers/image-folder';

/** Debian's dataset-fashion-mnist (`.ci/run` installs it). */
const FASHION_DIR = '/usr/share/datasets/fashion-mnist';
const haveFashion = existsSync(path.join(FASHION_DIR, 'train-images-idx3-ubyte.gz'));

describe('dataset identity', () => {
  it('the bundled MNIST is recognised: named MNIST, digit classes', async () => {
    const data = await loadDataset({ kind: 'bundled' });
    expect(datasetIdentity(data)).toMatchObject({ kind: 'bundled', classNames: DIGIT_CLASS_NAMES });
    expect(autoRunName(TrainingConfigSchema.parse({ epochs: 2 }), data)).toMatch(
      /^lenet5 · MNIST · 2 epochs · lr /,
    );
  });

  it.skipIf(!haveFashion)(
    `Fashion-MNIST in any folder is recognised by fingerprint (needs ${FASHION_DIR}: apt-get install dataset-fashion-mnist)`,
    async () => {
      const data = await loadDataset({ kind: 'folder', path: FASHION_DIR });
      const identity = datasetIdentity(data);
      expect(identity).toMatchObject({
        name: 'Fashion-MNIST',
        kind: 'idx-folder',
        classNames: FASHION_CLASS_NAMES,
      });
      // Runs recorded before class names were kept still get Fashion's names by fingerprint.
      expect(classNamesOf({ name: 'x', fingerprint: identity.fingerprint })).toEqual(
        FASHION_CLASS_NAMES,
      );
    },
  );

  it('an unknown IDX folder is named after its folder, with digit classes', async () => {
    const dir = writeDatasetFolder(mnistSubset(30, 10));
    const data = await loadDataset({ kind: 'folder', path: dir });
    expect(datasetIdentity(data)).toMatchObject({
      name: path.basename(dir),
      kind: 'idx-folder',
      classNames: DIGIT_CLASS_NAMES,
    });
  });

  it('an image folder brings its subfolder names as class names', async () => {
    const dir = tempDir();
    await writeImageFolder(dir, 3, 10);
    const data = await loadDataset({ kind: 'folder', path: dir });
    expect(data.kind).toBe('image-folder');
    expect(data.classNames).toEqual(data.report?.classes);
  });

  it('a recorded run keeps kind and class names in run.json', async () => {
    const data = await loadDataset({
      kind: 'folder',
      path: writeDatasetFolder(mnistSubset(30, 10)),
    });
    const store = new RunStore(tempDir());
    const config = TrainingConfigSchema.parse({ epochs: 1 });
    const created = await store.create(config, datasetIdentity(data), {
      studio: 't',
      tfjs: 't',
      tensorflow: 't',
    });
    const read = await store.read(created.id);
    expect(read.dataset).toEqual(datasetIdentity(data));
    expect(read.name).toContain(data.name);
  });
});

describe('a run announces its data, and its exports keep it', () => {
  it("train-started carries the data's identity: an image folder's subfolders as class names", async () => {
    const dir = tempDir();
    await writeImageFolder(dir, 6, 3);
    const names = ['circle', 'square', 'triangle'];
    names.forEach((name, digit) => renameSync(path.join(dir, String(digit)), path.join(dir, name)));
    const host = createNodeEngineHost({ runsDir: path.join(tempDir(), 'runs'), restart: false });
    const events: StudioEvent[] = [];
    const off = host.onEvent((event) => events.push(event));
    try {
      await host.request({
        type: 'train',
        config: { dataset: { kind: 'folder', path: dir }, epochs: 1, validationSplit: 0 },
      });
      const started = events.find((e) => e.kind === 'train-started');
      expect(started?.kind === 'train-started' && started.dataset).toMatchObject({
        name: path.basename(dir),
        kind: 'image-folder',
        classNames: names,
      });
      // The same identity the run and the model record.
      const model = (await host.request({ type: 'info' })).model!;
      expect(started?.kind === 'train-started' && started.dataset).toEqual(model.dataset);

      // An export names its labels so (they were always the digits), and brings them back.
      const exported = path.join(tempDir(), 'shapes-model');
      await host.request({ type: 'save-model', dir: exported });
      const json = JSON.parse(readFileSync(path.join(exported, 'model.json'), 'utf8'));
      expect(json.userDefinedMetadata.studio.labels).toEqual([
        ...names,
        '3',
        '4',
        '5',
        '6',
        '7',
        '8',
        '9',
      ]);
      const loaded = await host.request({ type: 'load-model', dir: exported });
      expect(loaded.dataset).toEqual(model.dataset);
    } finally {
      off();
      host.dispose();
    }
  }, 60_000);
});

describe.skipIf(!haveFashion)('a Fashion-MNIST model in the engine', () => {
  it('carries its data and where it was read; an evaluation names the data it scored', async () => {
    const host = createNodeEngineHost({ runsDir: path.join(tempDir(), 'runs'), restart: false });
    try {
      await host.request({
        type: 'train',
        config: {
          dataset: { kind: 'folder', path: FASHION_DIR },
          epochs: 1,
          trainLimit: 300,
          testLimit: 100,
          validationSplit: 0,
        },
      });
      const model = (await host.request({ type: 'info' })).model!;
      expect(model.dataset).toMatchObject({
        name: 'Fashion-MNIST',
        classNames: FASHION_CLASS_NAMES,
      });
      expect(model.datasetRef).toEqual({ kind: 'folder', path: FASHION_DIR });
      // Opened again from the run list, it still knows both.
      const opened = await host.request({ type: 'load-run', runId: model.runId! });
      expect(opened.datasetRef).toEqual(model.datasetRef);

      const onMnist = await host.request({ type: 'evaluate', testLimit: 100 });
      expect(onMnist.dataset).toMatchObject({ kind: 'bundled', classNames: DIGIT_CLASS_NAMES });
      expect(classMismatch(model.dataset!, onMnist.dataset!)).toMatch(/Fashion-MNIST/);
      const onOwn = await host.request({
        type: 'evaluate',
        dataset: { kind: 'folder', path: FASHION_DIR },
        testLimit: 100,
      });
      expect(classMismatch(model.dataset!, onOwn.dataset!)).toBeNull();
    } finally {
      host.dispose();
    }
  }, 120_000);
});
