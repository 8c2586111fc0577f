import { describe, expect, it } from 'vitest';
import {
  createModelChange,
  noticeForFinishedRun,
} from '../../../src/renderer/src/app/model-change';
import type { ModelSummary } from '../../../src/shared/engine-protocol';
import { createApiDouble, infoOn, settle } from '../studio-api-double';
import { FAKE_INFO } from '../../server/fake-backend';

const mnist = { name: 'MNIST', fingerprint: 'f' };
const good: ModelSummary = {
  preset: 'lenet5',
  params: 61_706,
  source: 'trained',
  runId: 'good',
  testAccuracy: 0.991,
  dataset: mnist,
};
const tiny: ModelSummary = { ...good, runId: 'tiny', testAccuracy: 0.17 };

describe('model change notice', () => {
  it('says which model is current, where its run is saved and which it replaced', () => {
    expect(noticeForFinishedRun(false, tiny, good, '/runs/')).toEqual({
      message: 'Training finished: lenet5 · MNIST · 17.00% is now the current model.',
      savedIn: '/runs/tiny',
      previous: 'lenet5 · MNIST · 99.10%',
      restored: false,
      error: null,
    });
    expect(noticeForFinishedRun(true, tiny, null, '/runs')?.message).toMatch(/^Training stopped/);
    expect(
      noticeForFinishedRun(false, tiny, null, '/runs', 'Stopped early after epoch 3.')?.message,
    ).toBe(
      'Training finished: lenet5 · MNIST · 17.00% is now the current model. Stopped early after epoch 3.',
    );
  });

  it('after a run, goes back to the previous model in one click, and undoes that', async () => {
    const { api, handlers, emit } = createApiDouble();
    let current = tiny;
    let previous: ModelSummary | null = good;
    handlers.getInfo.mockImplementation(async () => ({
      ...FAKE_INFO,
      engine: { ...FAKE_INFO.engine, model: current, previousModel: previous },
    }));
    handlers.restorePreviousModel.mockImplementation(async () => {
      [current, previous] = [previous!, current];
      return current;
    });
    const info = await infoOn(api);
    const store = createModelChange(api, info);
    emit({ kind: 'train-done', summary: { stopped: false } as never });
    await settle();
    expect(store.notice.value?.previous).toBe('lenet5 · MNIST · 99.10%');

    await store.swapWithPrevious();
    expect(info.info.value?.engine.model?.runId).toBe('good');
    expect(store.notice.value).toMatchObject({
      message: 'Went back to lenet5 · MNIST · 99.10%.',
      restored: true,
      previous: 'lenet5 · MNIST · 17.00%',
    });
    await store.swapWithPrevious();
    expect(info.info.value?.engine.model?.runId).toBe('tiny');
    expect(store.notice.value?.restored).toBe(false);
  });
});
