// Crashes at exact points of a write, not at random moments that may miss them: the engine is
// started with LENET_TEST_KILL_AT=<phase>:<n> (src/engine/test-hooks.ts) and SIGKILLs itself
// the n-th time it reaches that point of a checkpoint, export or run.json write. After each,
// a fresh engine must find the last checkpoint loadable, resume the run, and never show a
// half-written file as valid.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readableFolder, replaceFolderAtomic } from '../../src/engine/atomic-files';
import { loadCheckpoint } from '../../src/engine/checkpoint';
import { loadModelDir } from '../../src/engine/model-files';
import { EngineHost } from '../../src/host/engine-host';
import { forkEngine } from '../../src/host/engine-host-node';
import type { StudioEvent } from '../../src/shared/studio-contract';
import type { TrainingConfigInput } from '../../src/shared/training-config';
import { mnistSubset, tempDir, writeDatasetFolder } from '../helpers/fixtures';

let dataDir: string;
const hosts: EngineHost[] = [];
beforeAll(() => {
  dataDir = writeDatasetFolder(mnistSubset(512, 64));
});
afterEach(() => {
  for (const h of hosts.splice(0)) h.dispose();
});

/** An engine recording into `runsDir`, optionally armed to kill itself at `killAt`. */
function engine(runsDir: string, killAt?: string) {
  const env: NodeJS.ProcessEnv = { LENET_STUDIO_RUNS_DIR: runsDir };
  if (killAt) env.LENET_TEST_KILL_AT = killAt;
  const host = new EngineHost(() => forkEngine(undefined, env), {
    restart: false,
    onProtocolError: () => undefined,
  });
  hosts.push(host);
  const crashed = new Promise<string>((resolve) =>
    host.onEvent((e: StudioEvent) => {
      if (e.kind === 'engine-crashed') resolve(e.reason);
    }),
  );
  return { host, crashed };
}

const config = (extra: TrainingConfigInput = {}): TrainingConfigInput => ({
  dataset: { kind: 'folder', path: dataDir },
  epochs: 4,
  batchSize: 64,
  validationSplit: 0,
  seed: 3,
  ...extra,
});

async function onlyRun(runs: string) {
  const { host } = engine(runs);
  const list = await host.request({ type: 'list-runs' });
  expect(list).toHaveLength(1);
  return { host, run: list[0]! };
}

describe('the engine killed at each point of a checkpoint write', () => {
  // n counts from the engine's start: the second checkpoint (after epoch 1) is under way, so
  // the first one is complete on disk; `write-half` counts every file written (run.json
  // updates, then model.json, weights.bin, optimizer.bin, state.json of each checkpoint).
  const points = [
    'folder-filled:2',
    'folder-old-moved:2',
    'folder-new-moved:2',
    'write-half:11',
    'file-temp-written:6',
  ];
  it.each(points)('%s: the last checkpoint loads and the run resumes', async (killAt) => {
    const runs = tempDir();
    const first = engine(runs, killAt);
    const training = first.host.request({ type: 'train', config: config() });
    await expect(training).rejects.toThrow(/engine process ended/);
    // It died by its own hand at that point, not by anything else.
    expect(await first.crashed).toMatch(/SIGKILL/);

    const { host, run } = await onlyRun(runs);
    expect(run).toMatchObject({ damaged: false, record: { status: 'interrupted' } });
    const checkpoint = await loadCheckpoint(path.join(runs, run.id, 'checkpoint'));
    expect(checkpoint.state.epoch).toBeGreaterThanOrEqual(1);
    checkpoint.model.dispose();
    const resumed = await host.request({ type: 'resume-run', runId: run.id });
    expect(resumed.epochs).toBe(4);
    const metrics = await host.request({ type: 'run-metrics', runId: run.id });
    expect(metrics.map((m) => m.epoch)).toEqual([0, 1, 2, 3]);
    // The folders the crash left aside are gone once the next checkpoint is in place (a
    // crashed run.json write may leave its temporary file, which nothing reads).
    const entries = await fs.readdir(path.join(runs, run.id));
    expect(entries.filter((e) => /^checkpoint\.(tmp|old)-/.test(e))).toEqual([]);
  });
});

describe('the engine killed during an export or a run rename', () => {
  let runs: string;
  let runId: string;
  beforeAll(async () => {
    runs = tempDir();
    const { host } = engine(runs);
    runId = (await host.request({ type: 'train', config: config({ epochs: 1 }) })).runId!;
    hosts.splice(0).forEach((h) => h.dispose());
  });

  it.each(['write-half:1', 'write-half:2', 'export-filled:1'])(
    'export killed at %s: no model appears at the target',
    async (killAt) => {
      const out = path.join(tempDir(), 'export');
      const { host, crashed } = engine(runs, killAt);
      await host.request({ type: 'load-run', runId });
      await expect(
        host.request({ type: 'save-model', dir: out, singleFile: false }),
      ).rejects.toThrow(/engine process ended/);
      expect(await crashed).toMatch(/SIGKILL/);
      await expect(loadModelDir(out)).rejects.toThrow(/does not exist/);
      // A fresh engine exports to the same place: the leftover is not in the way.
      const again = engine(runs);
      await again.host.request({ type: 'load-run', runId });
      await again.host.request({ type: 'save-model', dir: out, singleFile: false });
      const loaded = await loadModelDir(out);
      expect(loaded.model.countParams()).toBe(61_706);
      loaded.model.dispose();
    },
  );

  it.each(['write-half:1', 'file-temp-written:1'])(
    'single-file export killed at %s: no file appears',
    async (killAt) => {
      const out = path.join(tempDir(), 'model.json');
      const { host } = engine(runs, killAt);
      await host.request({ type: 'load-run', runId });
      await expect(
        host.request({ type: 'save-model', dir: out, singleFile: true }),
      ).rejects.toThrow(/engine process ended/);
      await expect(fs.lstat(out)).rejects.toThrow(/ENOENT/);
    },
  );

  it.each(['write-half:1', 'file-temp-written:1'])(
    'rename killed at %s: run.json keeps its last complete content',
    async (killAt) => {
      const before = await onlyRun(runs);
      const { host, crashed } = engine(runs, killAt);
      await expect(host.request({ type: 'rename-run', runId, name: 'renamed' })).rejects.toThrow(
        /engine process ended/,
      );
      expect(await crashed).toMatch(/SIGKILL/);
      const after = await onlyRun(runs);
      expect(after.run).toEqual(before.run);
      await after.host.request({ type: 'rename-run', runId, name: 'renamed' });
      const [renamed] = await after.host.request({ type: 'list-runs' });
      expect(renamed).toMatchObject({ damaged: false, record: { name: 'renamed' } });
    },
  );
});

describe('atomic folder replacement', () => {
  it('leaves the old or the new complete folder at every crash point', async () => {
    const root = tempDir();
    const dir = path.join(root, 'checkpoint');
    const read = async () => fs.readFile(path.join((await readableFolder(dir))!, 'v'), 'utf8');
    await replaceFolderAtomic(dir, (t) => fs.writeFile(path.join(t, 'v'), '1'));
    // A crash while writing the new one: only a temporary sibling is left behind.
    await fs.mkdir(`${dir}.tmp-0123456789ab`);
    await fs.writeFile(`${dir}.tmp-0123456789ab/v`, 'half');
    expect(await read()).toBe('1');
    // A crash between moving the current one aside and moving the new one in: the old copy
    // is found, and put back in place.
    await fs.rename(dir, `${dir}.old-ba9876543210`);
    expect(await read()).toBe('1');
    expect(await fs.readFile(path.join(dir, 'v'), 'utf8')).toBe('1');
    await fs.rename(dir, `${dir}.old-ba9876543210`);
    await replaceFolderAtomic(dir, (t) => fs.writeFile(path.join(t, 'v'), '2'));
    expect(await fs.readFile(path.join(dir, 'v'), 'utf8')).toBe('2');
    expect((await fs.readdir(root)).sort()).toEqual(['checkpoint']);
    expect(await readableFolder(path.join(root, 'never-written'))).toBeNull();
  });
});
