import { describe, expect, it } from 'vitest';
import { withTypedPathGrants } from '../../src/renderer/src/services/path-grants';
import { buildVerbs, progressSubscriber, type StudioApi } from '../../src/shared/studio-contract';

function recordingApi() {
  const calls: Array<[string, unknown]> = [];
  const onEvent: StudioApi['onEvent'] = () => () => undefined;
  const api: StudioApi = {
    ...buildVerbs(async (verb, payload) => {
      calls.push([verb, payload]);
      return verb === 'grantPath' ? { path: (payload as { path: string }).path } : null;
    }),
    onEvent,
    onProgress: progressSubscriber(onEvent),
  };
  return { api: withTypedPathGrants(api), calls };
}

describe('browser mode: submitting a typed path grants it', () => {
  it('grants each path field of the operation, for its use, just before the operation', async () => {
    const { api, calls } = recordingApi();
    await api.exportModel({ dir: '/home/me/exports/a' });
    await api.startTraining({ epochs: 1, dataset: { kind: 'folder', path: '/data/fashion' } });
    await api.loadModel({ dir: '/home/me/m/model.json' });
    expect(calls).toEqual([
      ['grantPath', { path: '/home/me/exports/a', use: 'export' }],
      ['exportModel', { dir: '/home/me/exports/a' }],
      ['grantPath', { path: '/data/fashion', use: 'dataset' }],
      ['startTraining', { epochs: 1, dataset: { kind: 'folder', path: '/data/fashion' } }],
      ['grantPath', { path: '/home/me/m/model.json', use: 'model' }],
      ['loadModel', { dir: '/home/me/m/model.json' }],
    ]);
  });

  it('grants nothing for operations without a path', async () => {
    const { api, calls } = recordingApi();
    await api.startTraining({ epochs: 1 });
    await api.evaluate({});
    await api.listRuns();
    expect(calls.map(([verb]) => verb)).toEqual(['startTraining', 'evaluate', 'listRuns']);
  });
});
