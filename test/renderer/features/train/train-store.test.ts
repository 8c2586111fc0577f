// The Train view's commands and the form, driven through the Train store on an API double.
import { describe, expect, it } from 'vitest';
import { createTrainStore } from '../../../../src/renderer/src/features/train/train-store';
import { TrainingConfigSchema } from '../../../../src/shared/training-config';
import { createApiDouble, settle } from '../../studio-api-double';
import type { EpochMetrics } from '../../../../src/shared/run-record';
import type { StudioEvent } from '../../../../src/shared/studio-contract';
import { started } from './training-events';
import { ConnectionLostError } from '../../../../src/renderer/src/services/ws-client';

function metrics(epoch: number): EpochMetrics {
  return {
    epoch,
    loss: 0.5,
    accuracy: 0.85,
    valLoss: 0.3,
    valAccuracy: 0.9,
    seconds: 1,
    samplesPerSecond: 1000,
    at: '2025-01-02T13:46:00.000Z',
  };
}

describe('train store', () => {
  it('starts a run with the form’s settings, and not while the form has errors', async () => {
    const { api, handlers } = createApiDouble();
    const store = createTrainStore(api);
    store.form.epochs = 0;
    store.start();
    expect(handlers.startTraining).not.toHaveBeenCalled();
    store.resetForm();
    handlers.startTraining.mockImplementation(() => new Promise(() => undefined));
    store.start();
    expect(handlers.startTraining).toHaveBeenCalledTimes(1);
    expect(store.state.value.status).toBe('starting');
  });

  it('shows a refused request in the state', async () => {
    const { api } = createApiDouble(); // its startTraining refuses: a run is in progress
    const store = createTrainStore(api);
    store.start();
    await settle();
    expect(store.state.value.notice?.message).toMatch(/a training run is already in progress/);
  });

  it('writes a resumed run’s settings into the form and fetches its earlier epochs', async () => {
    const { api, handlers, emit } = createApiDouble();
    // The run's metrics file holds three epochs; the resumed run starts in the third.
    handlers.runMetrics.mockResolvedValue([0, 1, 2].map(metrics));
    const store = createTrainStore(api);
    await store.attach(); // caught up with the host (no run yet)
    const config = TrainingConfigSchema.parse({ epochs: 5, batchSize: 32 });
    emit(started({ runId: 'r1', startEpoch: 2, epochs: 5, config }));
    expect(store.form.epochs).toBe(5);
    expect(store.form.batchSize).toBe(32);
    await settle();
    expect(handlers.runMetrics).toHaveBeenCalledWith({ runId: 'r1' });
    expect(store.state.value.valAccuracy).toHaveLength(2);
  });

  it('attaches to the host’s run: replays its journal, then what arrived meanwhile, once each', async () => {
    const { api, handlers, emit } = createApiDouble();
    const config = TrainingConfigSchema.parse({ epochs: 2, batchSize: 50 });
    const batch = (b: number) => ({
      kind: 'batch' as const,
      epoch: 0,
      batch: b,
      batchesPerEpoch: 10,
      loss: 1 / (b + 1),
      accuracy: 0.5,
      learningRate: 0.001,
      samplesPerSecond: 1000,
      elapsedSeconds: b,
      etaSeconds: 10,
    });
    let answer: (events: StudioEvent[]) => void = () => undefined;
    handlers.trainingSnapshot.mockImplementation(() => new Promise((r) => (answer = r)));
    const store = createTrainStore(api);
    // While the snapshot is on its way, batches 2 and 3 arrive live; the journal holds 0–2 and
    // the pause the host saw.
    emit(batch(2));
    emit(batch(3));
    answer([
      started({ runId: 'r1', startEpoch: 0, epochs: 2, config }),
      batch(0),
      batch(1),
      batch(2),
      { kind: 'paused', epoch: 0, batch: 2 },
    ]);
    await settle();
    const state = store.state.value;
    expect(state.run?.epochs).toBe(2);
    expect(store.form.batchSize).toBe(50);
    expect(state.progress).toMatchObject({ epoch: 0, batch: 3 });
    expect(state.lossRaw.total).toBe(4); // batches 0–3, batch 2 once
  });

  it('a dropped connection mid-run says so (not "could not start"), and the run stays shown', async () => {
    const { api, handlers, emit } = createApiDouble();
    let cutOff: (error: Error) => void = () => undefined;
    handlers.startTraining.mockImplementation(() => new Promise((_, reject) => (cutOff = reject)));
    const store = createTrainStore(api);
    await store.attach();
    store.start();
    emit(started({ runId: 'r1', epochs: 3 }));
    cutOff(new ConnectionLostError());
    await settle();
    expect(store.state.value.status).toBe('training');
    expect(store.state.value.notice?.message).toMatch(
      /Connection to the studio lost; reconnecting/,
    );
    expect(store.state.value.notice?.message).not.toMatch(/Could not start/);

    // Back, and the host knows no run (its server restarted): the run was cut off, and says so.
    handlers.trainingSnapshot.mockResolvedValue([]);
    await store.attach();
    expect(store.state.value.status).toBe('idle');
    expect(store.state.value.notice?.message).toMatch(/run was cut off.*Models view/);
  });
});
