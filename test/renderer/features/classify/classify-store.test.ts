// The Classify view's batch orchestration, driven through its store on an API double: the
// model check, the listing, the streamed rows and the notice that sums the batch up.
import { describe, expect, it } from 'vitest';
import { predictBatchSize, type Prediction } from '../../../../src/shared/engine-protocol';
import {
  classifyByDecoding,
  type BatchSource,
  type Decoded,
} from '../../../../src/renderer/src/features/classify/classify-batch';
import type { ClassifyRow } from '../../../../src/renderer/src/features/classify/classify-results';
import { createClassifyStore } from '../../../../src/renderer/src/features/classify/classify-store';
import { DIGIT_CLASS_NAMES, FASHION_CLASS_NAMES } from '../../../../src/shared/dataset-identity';
import { MODEL, createApiDouble, infoOn } from '../../studio-api-double';

interface FakeFile {
  name: string;
}

async function decode(file: FakeFile): Promise<Decoded> {
  if (file.name.startsWith('broken')) throw new Error('not an image');
  return { pixels: new Float32Array(784).fill(0.3), warnings: [], thumbnail: null };
}

function sources(...names: string[]): BatchSource<FakeFile>[] {
  return names.map((name) => ({ path: name, open: async () => ({ name }) }));
}

const sevens = async (inputs: Float32Array | number[][]): Promise<Prediction[]> =>
  Array.from({ length: predictBatchSize(inputs) }, () => ({
    predicted: 7,
    confidence: 0.91,
    probabilities: Array.from({ length: 10 }, (_, d) => (d === 7 ? 0.91 : 0.01)),
  }));

async function setup(withModel = true, onYield: () => void = () => undefined) {
  const double = createApiDouble();
  double.setModel(withModel ? MODEL : null);
  const info = await infoOn(double.api);
  const store = createClassifyStore<FakeFile>({
    info,
    classify: classifyByDecoding(decode, (batch) => double.api.predict(batch)),
    yieldToUi: () => {
      onYield();
      return new Promise((r) => setTimeout(r, 0));
    },
  });
  return { ...double, store };
}

describe('classify store', () => {
  it('without a model, lists nothing and leaves the model notice to speak', async () => {
    const { store } = await setup(false);
    let listed = false;
    await store.run(async () => {
      listed = true;
      return sources('a.png');
    });
    expect(listed).toBe(false);
    expect(store.phase.value).toBe('idle');
    expect(store.notice.value).toBeNull();
  });

  it('classifies the files found, keeps each row, and sums the batch up', async () => {
    const { store, handlers } = await setup();
    handlers.predict.mockImplementation(sevens);
    const phases: string[] = [];
    await store.run(async () => {
      phases.push(store.phase.value);
      return sources('a.png', 'broken.png', 'b.png');
    });
    expect(phases).toEqual(['listing']);
    expect(store.phase.value).toBe('idle');
    expect(store.rows.value.map((r) => [r.path, r.predicted, r.error])).toEqual([
      ['a.png', 7, null],
      ['broken.png', null, 'not an image'],
      ['b.png', 7, null],
    ]);
    expect(store.progress.value).toMatchObject({ done: 3, total: 3, errors: 1 });
    expect(store.counts.value.byDigit[7]).toBe(2);
    expect(store.notice.value).toEqual({
      level: 'info',
      message: 'Done: 2 classified, 1 could not be read.',
    });

    // The files each row came from are kept with it (the cards show the originals).
    expect(store.originalOf(store.rows.value[0]!)).toEqual({ name: 'a.png' });
    expect(store.originalOf(store.rows.value[1]!)).toEqual({ name: 'broken.png' });

    // A second batch replaces the results unless told to add to them.
    await store.run(async () => sources('c.png'));
    expect(store.rows.value.map((r) => [r.id, r.path])).toEqual([[0, 'c.png']]);
    expect(store.originalOf({ ...store.rows.value[0]!, id: 1 })).toBeNull();
    store.append.value = true;
    await store.run(async () => sources('d.png', 'e.png'));
    expect(store.rows.value.map((r) => [r.id, r.path])).toEqual([
      [0, 'c.png'],
      [1, 'd.png'],
      [2, 'e.png'],
    ]);
    // A listing that finds nothing leaves the results as they are, whichever the mode.
    store.append.value = false;
    await store.run(async () => []);
    expect(store.rows.value).toHaveLength(3);

    // Clearing keeps the chosen threshold.
    store.view.value = { ...store.view.value, threshold: 0.95, classFilter: 7 };
    store.clearResults();
    expect(store.rows.value).toEqual([]);
    expect(store.originalOf({ id: 0 } as ClassifyRow)).toBeNull();
    expect(store.view.value.threshold).toBe(0.95);
    expect(store.view.value.classFilter).toBe('all');
  });

  it('adds at most 32 new cards to the grid per chunk while a batch runs, then a full page', async () => {
    const grid: number[] = [];
    const { store, handlers } = await setup(true, () => grid.push(store.shown.value.length));
    handlers.predict.mockImplementation(sevens);
    const names = Array.from({ length: 600 }, (_, i) => `f${i}.png`);
    await store.run(async () => sources(...names));
    // After each chunk (16, 32, 64, 128…): never more than 32 new cards at once.
    expect(grid.slice(0, 4)).toEqual([16, 48, 80, 112]);
    for (let i = 1; i < grid.length; i++) expect(grid[i]! - grid[i - 1]!).toBeLessThanOrEqual(32);
    expect(store.shown.value).toHaveLength(200); // the batch over: a full page (PAGE)
    expect(store.rows.value).toHaveLength(600);
  });

  it('says so when nothing to classify was found', async () => {
    const { store } = await setup();
    await store.run(async () => []);
    expect(store.notice.value).toEqual({
      level: 'warn',
      message: 'No image files found (PNG, JPEG, BMP, GIF, WebP).',
    });
  });

  it('refuses a second batch while one runs, and stops a cancelled one where it is', async () => {
    const { store, handlers } = await setup();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    handlers.predict.mockImplementation(async (inputs) => {
      await gate;
      return sevens(inputs);
    });
    const names = Array.from({ length: 300 }, (_, i) => `f${i}.png`);
    const first = store.run(async () => sources(...names));
    await new Promise((r) => setTimeout(r, 0));
    expect(store.busy.value).toBe(true);

    await store.run(async () => sources('other.png'));
    expect(store.notice.value).toEqual({
      level: 'warn',
      message: 'A batch is running: wait for it or cancel it.',
    });

    store.cancel();
    release();
    await first;
    expect(store.rows.value.length).toBeLessThan(300);
    // Only the rows kept keep their files.
    const kept = store.rows.value.length;
    expect(store.originalOf({ id: kept - 1 } as ClassifyRow)).not.toBeNull();
    expect(store.originalOf({ id: kept } as ClassifyRow)).toBeNull();
    expect(store.notice.value?.level).toBe('warn');
    expect(store.notice.value?.message).toMatch(
      /^Cancelled after \d+ of 300 files \(\d+ classified\)\.$/,
    );
  });

  it('stops the batch when predicting fails, and asks the engine what changed', async () => {
    const { store, handlers } = await setup();
    handlers.predict.mockRejectedValue(new Error('no model loaded'));
    const infoCalls = handlers.getInfo.mock.calls.length;
    await store.run(async () => sources('a.png'));
    expect(store.notice.value).toEqual({
      level: 'error',
      message: 'Classification stopped: no model loaded',
    });
    expect(store.phase.value).toBe('idle');
    // The file opened for the failed chunk has no row, and is not kept.
    expect(store.rows.value).toEqual([]);
    expect(store.originalOf({ id: 0 } as ClassifyRow)).toBeNull();
    // Once before listing, once after the failure.
    expect(handlers.getInfo.mock.calls.length).toBe(infoCalls + 2);
  });

  it('names classes as the model does: a Fashion-MNIST model’s folders label its files', async () => {
    const { store, handlers, setModel } = await setup();
    expect(store.classNames.value).toEqual(DIGIT_CLASS_NAMES);
    setModel({
      ...MODEL,
      dataset: {
        name: 'Fashion-MNIST',
        fingerprint: 'sha256:ca3ab2a37f845e1b8ae23cab1b51749a3011ba3bf1d9016176d75cbaabac376f',
        kind: 'idx-folder',
      },
    });
    handlers.predict.mockImplementation(sevens);
    await store.run(async () => sources('shoes/Sneaker/a.png', 'shoes/sandal/b.png', 'x/7/c.png'));
    expect(store.classNames.value).toEqual(FASHION_CLASS_NAMES);
    // Sneaker is label 7, "sandal" (any case) 5, and a digit folder its digit.
    expect(store.rows.value.map((r) => r.label)).toEqual([7, 5, 7]);
    expect(store.counts.value.correct).toBe(2);
  });
});
