// The engine info every view reads: asked at start, again when the engine restarts or a run
// ends, and its failure kept for the app bar to show.
import { describe, expect, it } from 'vitest';
import { createStudioInfo } from '../../../src/renderer/src/app/studio-info';
import { MODEL, createApiDouble, settle } from '../studio-api-double';
import { summary } from '../features/train/training-events';

describe('studio info', () => {
  it('asks once at start and again when the engine restarts or a run ends', async () => {
    const { api, handlers, emit, setModel } = createApiDouble();
    const info = createStudioInfo(api);
    await settle();
    expect(handlers.getInfo).toHaveBeenCalledTimes(1);
    expect(info.info.value?.engine.model).toBeNull();

    setModel(MODEL);
    emit({ kind: 'train-done', summary: summary() });
    await settle();
    expect(info.info.value?.engine.model).toEqual(MODEL);
    emit({ kind: 'engine-restarted', pid: 43 });
    await settle();
    expect(handlers.getInfo).toHaveBeenCalledTimes(3);
  });

  it('keeps why the engine could not be asked, until it answers again', async () => {
    const { api, handlers } = createApiDouble();
    handlers.getInfo.mockRejectedValueOnce(new Error('engine unavailable'));
    const info = createStudioInfo(api);
    await settle();
    expect(info.info.value).toBeNull();
    expect(info.infoError.value).toBe('engine unavailable');
    await info.refresh();
    expect(info.infoError.value).toBeNull();
    expect(info.info.value).not.toBeNull();
  });
});
