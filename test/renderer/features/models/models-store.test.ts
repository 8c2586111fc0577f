// The Models view's orchestration, driven through its store on an API double: what the view
// used to do inline (refresh races, open, resume, export, delete, comparison metrics).
import { describe, expect, it, vi } from 'vitest';
import type { BatchPoint, EpochMetrics } from '../../../../src/shared/run-record';
import { createModelsStore } from '../../../../src/renderer/src/features/models/models-store';
import { createTrainStore } from '../../../../src/renderer/src/features/train/train-store';
import { started } from '../train/training-events';
import { MODEL, createApiDouble, infoOn, runSummary, settle } from '../../studio-api-double';

async function setup() {
  const double = createApiDouble();
  const info = await infoOn(double.api);
  const train = createTrainStore(double.api);
  const store = createModelsStore({ api: double.api, info, train });
  return { ...double, info, store };
}

function epochMetrics(epoch: number): EpochMetrics {
  return {
    epoch,
    loss: 0.5,
    accuracy: 0.9,
    valLoss: 0.4,
    valAccuracy: 0.91,
    seconds: 1,
    samplesPerSecond: 1000,
    at: '2025-01-02T13:46:00.000Z',
  };
}

function batchPoint(batch: number): BatchPoint {
  return {
    epoch: 0,
    batch,
    batchesPerEpoch: 10,
    step: batch + 1,
    seen: (batch + 1) * 32,
    loss: 1,
    accuracy: 0.5,
    learningRate: 0.001,
  };
}

describe('models store', () => {
  it('follows the engine while the view is shown: reloads on run events, not after', async () => {
    const { store, handlers, emit } = await setup();
    handlers.listRuns.mockResolvedValue([runSummary('a')]);
    const stop = store.follow();
    await settle();
    expect(handlers.listRuns).toHaveBeenCalledTimes(1);
    expect(store.listed.value).toBe(true);
    expect(store.rows.value.map((r) => r.id)).toEqual(['a']);

    handlers.listRuns.mockResolvedValue([runSummary('b'), runSummary('a')]);
    emit({ kind: 'paused', epoch: 0, batch: 3 });
    await settle();
    expect(handlers.listRuns).toHaveBeenCalledTimes(2);
    expect(store.rows.value.map((r) => r.id)).toEqual(['b', 'a']);

    stop();
    emit({ kind: 'paused', epoch: 0, batch: 3 });
    await settle();
    expect(handlers.listRuns).toHaveBeenCalledTimes(2);
  });

  it('applies only the newest of overlapping list answers', async () => {
    const { store, handlers } = await setup();
    let answerFirst: (runs: ReturnType<typeof runSummary>[]) => void = () => undefined;
    handlers.listRuns
      .mockImplementationOnce(() => new Promise((resolve) => (answerFirst = resolve)))
      .mockResolvedValueOnce([runSummary('new')]);
    const first = store.refresh();
    await store.refresh();
    answerFirst([runSummary('old')]);
    await first;
    expect(store.runs.value.map((r) => r.id)).toEqual(['new']);
  });

  it('opens a run as the current model and says so, or says why not', async () => {
    const { store, handlers, setModel } = await setup();
    handlers.listRuns.mockResolvedValue([runSummary('a')]);
    await store.refresh();
    handlers.loadRun.mockImplementation(async () => {
      setModel({ ...MODEL, runId: 'a' });
      return MODEL as never;
    });
    store.act('a', 'open', () => undefined);
    expect(store.busy.value).toEqual({ runId: 'a', action: 'open' });
    await settle();
    expect(store.busy.value).toBeNull();
    expect(store.currentModel.value?.runId).toBe('a');
    expect(store.notice.value).toEqual({
      level: 'info',
      message: '“run a” is now the current model: Draw, Classify and Evaluate use it.',
    });

    handlers.loadRun.mockRejectedValue(new Error('checkpoint missing'));
    store.act('a', 'open', () => undefined);
    await settle();
    expect(store.notice.value).toEqual({
      level: 'error',
      message: 'Could not open “run a”: checkpoint missing',
    });
  });

  it('resumes a run: hands over to the Train view once the engine says it started', async () => {
    const { store, handlers, emit } = await setup();
    handlers.listRuns.mockResolvedValue([runSummary('a', { status: 'interrupted' })]);
    await store.refresh();
    let finish: () => void = () => undefined;
    handlers.resumeRun.mockImplementation(
      () => new Promise((resolve) => (finish = () => resolve({ ok: true } as never))),
    );
    const onResumed = vi.fn();
    store.act('a', 'resume', onResumed);
    expect(store.busy.value).toEqual({ runId: 'a', action: 'resume' });

    emit(started({ runId: 'other', startEpoch: 1 }));
    expect(onResumed).not.toHaveBeenCalled();
    emit(started({ runId: 'a', startEpoch: 1 }));
    expect(onResumed).toHaveBeenCalledTimes(1);
    expect(store.busy.value).toBeNull();

    finish(); // the run ends: the list is reloaded, nothing is announced twice
    await settle();
    expect(onResumed).toHaveBeenCalledTimes(1);
    expect(store.notice.value).toBeNull();
  });

  it('shows why a resume failed before the run started', async () => {
    const { store, handlers } = await setup();
    handlers.listRuns.mockResolvedValue([runSummary('a', { status: 'interrupted' })]);
    await store.refresh();
    handlers.resumeRun.mockRejectedValue(new Error('the dataset changed'));
    const onResumed = vi.fn();
    store.act('a', 'resume', onResumed);
    await settle();
    expect(onResumed).not.toHaveBeenCalled();
    expect(store.busy.value).toBeNull();
    expect(store.notice.value).toEqual({
      level: 'error',
      message: 'Could not resume “run a”: the dataset changed',
    });
  });

  it('exports a run, opening it first unless it is the current model', async () => {
    const { store, handlers, setModel, info } = await setup();
    handlers.loadRun.mockResolvedValue(MODEL as never);
    handlers.exportModel.mockResolvedValue({ dir: '/out', files: ['model.json'] } as never);
    await store.exportRun('a', '/out', 'folder');
    expect(handlers.loadRun).toHaveBeenCalledWith({ runId: 'a' });
    expect(handlers.exportModel).toHaveBeenLastCalledWith({ dir: '/out', singleFile: false });

    setModel({ ...MODEL, runId: 'a' });
    await info.refresh();
    await store.exportRun('a', '/out.json', 'file');
    expect(handlers.loadRun).toHaveBeenCalledTimes(1);
    expect(handlers.exportModel).toHaveBeenLastCalledWith({ dir: '/out.json', singleFile: true });
  });

  it('deletes the run the dialog asked about, closing its export panel', async () => {
    const { store, handlers } = await setup();
    handlers.listRuns.mockResolvedValue([runSummary('a'), runSummary('b')]);
    await store.refresh();
    store.act('a', 'export', () => undefined);
    store.act('a', 'delete', () => undefined);
    expect(store.deleteRow.value?.id).toBe('a');

    handlers.deleteRun.mockRejectedValueOnce(new Error('busy'));
    await store.confirmDelete();
    expect(store.deleteError.value).toBe('Could not delete: busy');
    expect(store.deleteRow.value?.id).toBe('a');

    handlers.deleteRun.mockResolvedValue({ ok: true } as never);
    handlers.listRuns.mockResolvedValue([runSummary('b')]);
    await store.confirmDelete();
    expect(handlers.deleteRun).toHaveBeenLastCalledWith({ runId: 'a' });
    expect(store.deleteRow.value).toBeNull();
    expect(store.exportRow.value).toBeNull();
    expect(store.rows.value.map((r) => r.id)).toEqual(['b']);
  });

  it('loads compared runs’ metrics once per record version and drops vanished runs', async () => {
    const { store, handlers } = await setup();
    handlers.listRuns.mockResolvedValue([runSummary('a'), runSummary('b')]);
    handlers.runMetrics.mockImplementation(async () => [epochMetrics(1)]);
    handlers.runBatches.mockImplementation(async () => ({
      points: [batchPoint(0), batchPoint(9)],
      total: 2,
    }));
    await store.refresh();
    store.toggle('a');
    expect(store.pendingMetrics.value).toBe(1);
    await settle();
    store.toggle('b');
    await settle();
    expect(store.overlayRuns.value.map((r) => r.id)).toEqual(['a', 'b']);
    expect(store.overlayRuns.value[0]!.batches.map((p) => p.batch)).toEqual([0, 9]);
    expect(store.diffRuns.value.map((r) => [r.id, r.name, r.dataset.name])).toEqual([
      ['a', 'run a', 'MNIST'],
      ['b', 'run b', 'MNIST'],
    ]);
    expect(handlers.runMetrics).toHaveBeenCalledTimes(2);
    expect(handlers.runBatches).toHaveBeenCalledWith({ runId: 'a' });

    await store.refresh(); // unchanged records: the cached metrics serve
    expect(handlers.runMetrics).toHaveBeenCalledTimes(2);

    handlers.listRuns.mockResolvedValue([
      runSummary('a', { updatedAt: '2025-01-02T14:00:00.000Z' }),
    ]);
    await store.refresh();
    expect(store.selected.value).toEqual(['a']);
    expect(handlers.runMetrics).toHaveBeenCalledTimes(3);

    handlers.runMetrics.mockRejectedValue(new Error('metrics.jsonl unreadable'));
    handlers.listRuns.mockResolvedValue([
      runSummary('a', { updatedAt: '2025-01-02T15:00:00.000Z' }),
    ]);
    await store.refresh();
    expect(store.compareError.value).toBe(
      "Could not read a run's metrics: metrics.jsonl unreadable",
    );
  });

  it('shows a run whose batch history cannot be read per epoch, and says why', async () => {
    const { store, handlers } = await setup();
    handlers.listRuns.mockResolvedValue([runSummary('a')]);
    handlers.runMetrics.mockImplementation(async () => [epochMetrics(0)]);
    handlers.runBatches.mockRejectedValue(new Error('batches.jsonl is over 64 MiB'));
    await store.refresh();
    store.toggle('a');
    await settle();
    expect(store.overlayRuns.value.map((r) => [r.id, r.batches])).toEqual([['a', []]]);
    expect(store.compareError.value).toBe(
      "Could not read a run's batch curves (its training is shown per epoch): batches.jsonl is over 64 MiB",
    );
  });

  it('keeps the smoothing weight within the slider’s range', async () => {
    const { store } = await setup();
    expect(store.smoothing.value).toBe(0.6);
    store.setSmoothing(0.9);
    expect(store.smoothing.value).toBe(0.9);
    store.setSmoothing(2);
    expect(store.smoothing.value).toBe(0.99);
  });
});
