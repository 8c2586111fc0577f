// The Evaluate view's flow, driven through its store: field messages once tried, the request
// sent, the result kept with the model it was made with, and the run's name for the label.
import { describe, expect, it } from 'vitest';
import type { Evaluation } from '../../../../src/shared/engine-protocol';
import { createEvaluateStore } from '../../../../src/renderer/src/features/evaluate/evaluate-store';
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
});
