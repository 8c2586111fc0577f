// The dispatcher both hosts share: payload schema → folder policy → backend → result schema.
import { mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDispatcher, RefusedError } from '../../src/host/dispatcher';
import { EngineHost, type EngineChannel } from '../../src/host/engine-host';
import { FolderPolicy } from '../../src/host/folder-policy';
import { createStudioBackend } from '../../src/host/studio-backend';
import { operations, studioVerbs, type EngineVerb } from '../../src/shared/operations';
import { tempDir } from '../helpers/fixtures';
import { createFakeBackend, FAKE_INFO } from '../server/fake-backend';

describe('dispatcher', () => {
  it('refuses a payload that does not match its operation, before the backend sees it', async () => {
    const { backend, handlers } = createFakeBackend();
    const dispatch = createDispatcher(backend, null);
    await expect(dispatch('startTraining', { batchSize: 0 })).rejects.toThrow(RefusedError);
    await expect(dispatch('renameRun', { runId: 'a/b', name: 'x' })).rejects.toThrow(
      /invalid runs:rename request: runId: not a run id/,
    );
    const runId = '20261123-120000-lenet5-abcdef';
    await expect(dispatch('renameRun', { runId, name: 'x'.repeat(201) })).rejects.toThrow(/name/);
    expect(handlers.startTraining).not.toHaveBeenCalled();
    expect(handlers.renameRun).not.toHaveBeenCalled();
  });

  it('hands the backend the checked real path in place of the one sent', async () => {
    const root = realpathSync(tempDir('lenet-dispatch-'));
    const real = path.join(root, 'exports');
    mkdirSync(real);
    symlinkSync(real, path.join(root, 'link'));
    const policy = new FolderPolicy({ howToChoose: 'choose it' });
    await policy.grant(real, 'dialog');
    const { backend, handlers } = createFakeBackend();
    handlers.exportModel.mockImplementation(async ({ dir }) => ({ dir, files: ['model.json'] }));
    const dispatch = createDispatcher(backend, policy);
    await expect(dispatch('exportModel', { dir: path.join(root, 'link', 'm') })).resolves.toEqual({
      dir: path.join(real, 'm'),
      files: ['model.json'],
    });
    expect(handlers.exportModel).toHaveBeenCalledWith({ dir: path.join(real, 'm') });
  });

  it('validates what the backend answers against the operation’s result schema', async () => {
    const { backend, handlers } = createFakeBackend();
    const dispatch = createDispatcher(backend, null);
    await expect(dispatch('getInfo', undefined)).resolves.toEqual(FAKE_INFO);
    handlers.getInfo.mockResolvedValueOnce({ ...FAKE_INFO, host: 'elsewhere' } as never);
    await expect(dispatch('getInfo', undefined)).rejects.toThrow(/malformed getInfo result: host/);
  });
});

describe('studio backend generated from the operation table', () => {
  it('sends each engine operation as the engine request its table entry names', async () => {
    const sent: string[] = [];
    const channel: EngineChannel = {
      pid: 1,
      send: (message) => sent.push((message as { type: string }).type),
      onMessage: () => undefined,
      onExit: () => undefined,
      kill: () => undefined,
    };
    const host = new EngineHost(() => channel);
    const backend = createStudioBackend(host, { hostKind: 'browser', dialogs: null, policy: null });
    const engineVerbs = studioVerbs.filter((v): v is EngineVerb => operations[v].engine !== null);
    const samples: Partial<Record<EngineVerb, unknown>> = {
      startTraining: { epochs: 1 },
      evaluate: {},
      predict: [new Array(784).fill(0)],
      classifyImages: { bytes: Uint8Array.of(1, 2, 3), ends: Int32Array.of(3) },
      datasetImages: { indices: [0, 1] },
      datasetSummary: {},
      describeModel: { epochs: 1 },
      findLearningRate: { epochs: 1 },
      distortionPreview: { strengths: { translate: 1, scale: 0, squeeze: 0, shear: 0 }, seed: 1 },
      activations: { input: new Float32Array(784) },
      exportModel: { dir: '/x' },
      loadModel: { dir: '/x' },
      // Run ids in the format the run store generates (RUN_ID_PATTERN accepts no other).
      runMetrics: { runId: '20261123-120000-lenet5-abcdef' },
      runBatches: { runId: '20261123-120000-lenet5-abcdef', limit: 500 },
      renameRun: { runId: '20261123-120000-lenet5-abcdef', name: 'n' },
      deleteRun: { runId: '20261123-120000-lenet5-abcdef' },
      loadRun: { runId: '20261123-120000-lenet5-abcdef' },
      resumeRun: { runId: '20261123-120000-lenet5-abcdef' },
    };
    for (const verb of engineVerbs) {
      const payload = operations[verb].request.parse(samples[verb]);
      void (backend.handlers[verb] as (p: unknown) => Promise<unknown>)(payload).catch(() => {});
    }
    expect(sent).toEqual(engineVerbs.map((v) => operations[v].engine!.type));
    expect(sent).toContain('save-model');
    host.dispose();
  });

  it('refuses grantPath in the desktop app (the dialog is the grant there)', async () => {
    const host = new EngineHost(() => ({
      pid: 1,
      send: () => undefined,
      onMessage: () => undefined,
      onExit: () => undefined,
      kill: () => undefined,
    }));
    const backend = createStudioBackend(host, {
      hostKind: 'electron',
      dialogs: null,
      policy: null,
    });
    await expect(backend.handlers.grantPath({ path: '/tmp', use: 'dataset' })).rejects.toThrow(
      /chosen with the dialog/,
    );
    host.dispose();
  });
});
