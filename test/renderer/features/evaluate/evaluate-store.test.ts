// The Evaluate view's flow, driven through its store: field messages once tried, the request
// sent, the result kept with the model it was made with, and the run's name for the label.
import { describe, expect, it } from 'vitest';
import {
  IMAGE_PIXELS,
  type DatasetImages,
  type Evaluation,
} from '../../../../src/shared/engine-protocol';
import { createEvaluateStore } from '../../../../src/renderer/src/features/evaluate/evaluate-store';
import {
  BUNDLED_MNIST,
  FASHION_CLASS_NAMES,
  type DatasetIdentity,
} from '../../../../src/shared/dataset-identity';
import { MODEL, createApiDouble, infoOn, runSummary, settle } from '../../studio-api-double';

const EVALUATION = {
  testAccuracy: 0.98,
  testLoss: 0.06,
  samples: 500,
  confusion: Array.from({ length: 10 }, (_, a) =>
    Array.from({ length: 10 }, (_, p) => (a === p ? 50 : 0)),
  ),
} as unknown as Evaluation;

async function setup() {
  const double = createApiDouble();
  double.setModel({ ...MODEL, runId: 'r1' });
  double.handlers.listRuns.mockResolvedValue([runSummary('r1', { name: 'first run' })]);
  const info = await infoOn(double.api);
  const store = createEvaluateStore(double.api, info);
  await settle();
  return { ...double, store };
}

describe('evaluate store', () => {
  it('names the current model’s run for its label', async () => {
    const { store } = await setup();
    expect(store.runNames.value.get('r1')).toBe('first run');
  });

  it('shows field messages only once evaluating was tried, and sends nothing then', async () => {
    const { store, handlers } = await setup();
    store.form.source = 'folder';
    store.form.folder = 'relative/path';
    expect(store.errors.value).toEqual({});
    await store.evaluate();
    expect(store.errors.value.folder).toBe('Give a full path (starting with / or a drive letter).');
    expect(handlers.evaluate).not.toHaveBeenCalled();
  });

  it('keeps the result with the model and the test set it was made with', async () => {
    const { store, handlers } = await setup();
    handlers.evaluate.mockResolvedValue(EVALUATION);
    store.form.testLimit = 500;
    await store.evaluate();
    expect(handlers.evaluate).toHaveBeenCalledWith({ testLimit: 500, details: true });
    expect(store.busy.value).toBe(false);
    expect(store.last.value?.model.runId).toBe('r1');
    expect(store.last.value?.dataset).toBe('bundled MNIST · 500 test images');

    handlers.evaluate.mockRejectedValue(new Error('t10k-images missing'));
    await store.evaluate();
    expect(store.failure.value).toBe('t10k-images missing');
    expect(store.last.value?.evaluation).toBe(EVALUATION);
  });

  /** Four samples: 3 → 5 twice (confidence 0.7, 0.9), 3 → 3, 5 → 3 (0.8). */
  const DETAILED = {
    testAccuracy: 0.25,
    testLoss: 1.2,
    samples: 4,
    confusion: [],
    perClass: [],
    details: {
      labels: Int32Array.from([3, 3, 3, 5]),
      predicted: Int32Array.from([5, 5, 3, 3]),
      top3: Int32Array.from([5, 3, 1, 5, 3, 1, 3, 5, 1, 3, 5, 1]),
      top3Probabilities: Float32Array.from([
        0.7, 0.2, 0.1, 0.9, 0.05, 0.05, 0.6, 0.3, 0.1, 0.8, 0.1, 0.1,
      ]),
    },
  } as unknown as Evaluation;

  function images(indices: number[]): DatasetImages {
    const pixels = new Uint8Array(indices.length * IMAGE_PIXELS);
    indices.forEach((i, k) => pixels.fill(i + 1, k * IMAGE_PIXELS, (k + 1) * IMAGE_PIXELS));
    return { indices: Int32Array.from(indices), labels: new Int32Array(indices.length), pixels };
  }

  it('asks for details and opens on the most confidently wrong; a cell selects its samples', async () => {
    const { store, handlers } = await setup();
    handlers.evaluate.mockResolvedValue(DETAILED);
    expect(store.selection.value).toBeNull();
    await store.evaluate();
    expect(store.selection.value).toEqual({ kind: 'wrong' });
    expect(store.gallery.value).toEqual([1, 3, 0]);
    store.select({ kind: 'cell', actual: 3, predicted: 5 });
    expect(store.gallery.value).toEqual([1, 0]);
    store.select({ kind: 'cell', actual: 3, predicted: 3 });
    expect(store.gallery.value).toEqual([2]);
    expect(store.item(3)).toMatchObject({ index: 3, label: 5, predicted: 3, correct: false });
    expect(store.item(4)).toBeNull();
  });

  it('fetches a gallery’s images from the test set it evaluated, once each', async () => {
    const { store, handlers } = await setup();
    handlers.evaluate.mockResolvedValue(DETAILED);
    handlers.datasetImages.mockImplementation(async (req) => images(req.indices));
    store.form.source = 'folder';
    store.form.folder = '/data/mnist';
    await store.evaluate();
    // The form moving on does not change where this evaluation's images come from.
    store.form.folder = '/data/other';
    await store.loadImages([1, 0]);
    await store.loadImages([0, 1]);
    expect(handlers.datasetImages.mock.calls).toEqual([
      [{ dataset: { kind: 'folder', path: '/data/mnist' }, split: 'test', indices: [1, 0] }],
    ]);
    expect(store.imagesVersion.value).toBe(1);
    expect(store.image(1)?.[0]).toBe(2);

    // A new evaluation starts afresh: images, the opened image and the gallery.
    store.inspect(1);
    await store.evaluate();
    expect(store.image(1)).toBeUndefined();
    expect(store.inspected.value).toBeNull();
  });

  it('shows progress while the engine evaluates, and names a failed image fetch', async () => {
    let clock = 1000;
    const double = createApiDouble();
    double.setModel(MODEL);
    const info = await infoOn(double.api);
    const store = createEvaluateStore(double.api, info, { now: () => clock });
    let finish: (e: Evaluation) => void = () => undefined;
    double.handlers.evaluate.mockImplementation(() => new Promise((r) => (finish = r)));
    store.form.testLimit = 4;
    const running = store.evaluate();
    expect(store.progress.value).toEqual({ images: 4, startedAt: 1000 });
    clock = 2000;
    finish(DETAILED);
    await running;
    expect(store.progress.value).toBeNull();
    double.handlers.datasetImages.mockRejectedValue(new Error('dataset folder is gone'));
    await store.loadImages([0]);
    expect(store.imageFailure.value).toBe('Could not load the test images: dataset folder is gone');
  });

  /** A Fashion-MNIST run, as the engine describes it after training on the Debian copy. */
  const FASHION_DIR = '/usr/share/datasets/fashion-mnist';
  const FASHION: DatasetIdentity = {
    name: 'Fashion-MNIST',
    fingerprint: 'sha256:ca3ab2a37f845e1b8ae23cab1b51749a3011ba3bf1d9016176d75cbaabac376f',
    kind: 'idx-folder',
    classNames: [...FASHION_CLASS_NAMES],
  };
  const FASHION_MODEL = {
    ...MODEL,
    runId: 'fashion-run',
    dataset: FASHION,
    datasetRef: { kind: 'folder' as const, path: FASHION_DIR },
  };

  it('starts on the current model’s own folder, and follows the model when it changes', async () => {
    const double = createApiDouble();
    double.setModel(FASHION_MODEL);
    double.handlers.listRuns.mockResolvedValue([]);
    const info = await infoOn(double.api);
    const store = createEvaluateStore(double.api, info);
    expect(store.form).toMatchObject({ source: 'folder', folder: FASHION_DIR });
    // Its own data: nothing to warn about, and that folder is what gets evaluated.
    expect(store.mismatch.value).toBeNull();
    double.handlers.evaluate.mockResolvedValue({ ...EVALUATION, dataset: FASHION });
    await store.evaluate();
    expect(double.handlers.evaluate).toHaveBeenCalledWith({
      dataset: { kind: 'folder', path: FASHION_DIR },
      details: true,
    });
    expect(store.last.value?.mismatch).toBeNull();

    // The person's choice stands while the model does…
    store.form.source = 'bundled';
    await info.refresh();
    expect(store.form.source).toBe('bundled');
    // …and a new current model (an MNIST run) brings its own test set.
    double.setModel({
      ...MODEL,
      runId: 'mnist-run',
      dataset: BUNDLED_MNIST,
      datasetRef: { kind: 'bundled' },
    });
    await info.refresh();
    await settle();
    expect(store.form.source).toBe('bundled');
    double.setModel(FASHION_MODEL);
    await info.refresh();
    await settle();
    expect(store.form).toMatchObject({ source: 'folder', folder: FASHION_DIR });
  });

  it('warns before and with the result when the test set has other classes than the model', async () => {
    const double = createApiDouble();
    double.setModel(FASHION_MODEL);
    double.handlers.listRuns.mockResolvedValue([]);
    const info = await infoOn(double.api);
    const store = createEvaluateStore(double.api, info);
    store.form.source = 'bundled';
    expect(store.mismatch.value).toBe(
      'This model was trained on Fashion-MNIST; the bundled MNIST test set has other classes ' +
        `(0, 1, 2, …): accuracy on it will mean nothing. Its own test set is in ${FASHION_DIR}.`,
    );
    // Said with the result, it is not said twice.
    double.handlers.evaluate.mockResolvedValue({ ...EVALUATION, dataset: BUNDLED_MNIST });
    await store.evaluate();
    expect(store.last.value?.mismatch).toMatch(/this accuracy means nothing/);
    expect(store.mismatch.value).toBeNull();
    // Another folder: unknown until the engine has read it, then said with the result.
    store.form.source = 'folder';
    store.form.folder = '/data/digits';
    expect(store.mismatch.value).toBeNull();
    double.handlers.evaluate.mockResolvedValue({
      ...EVALUATION,
      testAccuracy: 0.0796,
      dataset: { name: 'digits', fingerprint: 'sha256:other', kind: 'idx-folder' },
    });
    await store.evaluate();
    expect(store.last.value?.mismatch).toMatch(
      /^This model was trained on Fashion-MNIST; digits has other classes \(0, 1, 2, …\): this accuracy means nothing\./,
    );

    // An MNIST model on the bundled set: no warning at all.
    double.setModel({
      ...MODEL,
      runId: 'mnist-run',
      dataset: BUNDLED_MNIST,
      datasetRef: { kind: 'bundled' },
    });
    await info.refresh();
    await settle();
    expect(store.form.source).toBe('bundled');
    expect(store.mismatch.value).toBeNull();
  });
});
