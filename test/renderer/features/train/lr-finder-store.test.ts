// The Train view's learning-rate finder, driven through its store on an API double: the form's
// settings are swept, the suggestion goes into the form on request, and nothing is sent while a
// run trains.
import { describe, expect, it } from 'vitest';
import {
  NOT_WHILE_TRAINING,
  createLrFinderStore,
} from '../../../../src/renderer/src/features/train/lr-finder-store';
import { createTrainStore } from '../../../../src/renderer/src/features/train/train-store';
import type { LrRangeTest } from '../../../../src/shared/engine-protocol';
import { createApiDouble } from '../../studio-api-double';
import { started } from './training-events';

const SWEEP: LrRangeTest = {
  points: [
    { lr: 1e-5, loss: 2.3, smoothed: 2.3 },
    { lr: 1e-3, loss: 1.9, smoothed: 2.1 },
    { lr: 1e-1, loss: 4, smoothed: 2.6 },
  ],
  suggested: 0.0033516,
  minLossLr: 0.0977,
  rule: 'steepest',
  diverged: false,
  batchSize: 128,
  seconds: 1.2,
};

function setup() {
  const double = createApiDouble();
  const train = createTrainStore(double.api);
  const store = createLrFinderStore(double.api, train);
  return { ...double, train, store };
}

describe('learning-rate finder store', () => {
  it('sweeps the form’s settings and puts the suggested rate into the form', async () => {
    const { store, train, handlers } = setup();
    handlers.findLearningRate.mockResolvedValue(SWEEP);
    train.form.batchSize = 64;
    await store.run();
    expect(handlers.findLearningRate).toHaveBeenCalledWith(
      expect.objectContaining({ batchSize: 64, learningRate: 0.003 }),
    );
    expect(store.result.value).toMatchObject({ suggested: 0.0033516 });
    expect(store.running.value).toBe(false);
    store.useSuggestion();
    expect(train.form.learningRate).toBe(0.0034);
  });

  it('sends nothing while the form has errors or a run trains; says why for the run', async () => {
    const { store, train, handlers, emit } = setup();
    train.form.epochs = 0;
    await store.run();
    expect(handlers.findLearningRate).not.toHaveBeenCalled();
    train.resetForm();
    emit(started());
    await store.run();
    expect(handlers.findLearningRate).not.toHaveBeenCalled();
    expect(store.failure.value).toBe(NOT_WHILE_TRAINING);
  });

  it('names the engine’s refusal', async () => {
    const { store, handlers } = setup();
    handlers.findLearningRate.mockRejectedValue(
      new Error('cannot find a learning rate while a training run is in progress'),
    );
    await store.run();
    expect(store.failure.value).toBe(
      'The learning-rate finder failed: cannot find a learning rate while a training run is in progress',
    );
    expect(store.result.value).toBeNull();
  });
});
