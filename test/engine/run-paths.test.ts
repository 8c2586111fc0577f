// Run ids become paths: every request naming a run must reach only a real run folder directly
// inside the runs folder. Driven through a forked engine, with the parent of the runs folder,
// a symlinked run folder's target and the other runs checked to survive.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RunStore } from '../../src/engine/run-store';
import type { EngineHost } from '../../src/host/engine-host';
import { createNodeEngineHost } from '../../src/host/engine-host-node';
import { RUN_ID_PATTERN, formatRunId } from '../../src/shared/run-record';
import { mnistSubset, tempDir, writeDatasetFolder } from '../helpers/fixtures';

let dataDir: string;
const hosts: EngineHost[] = [];
beforeAll(() => {
  dataDir = writeDatasetFolder(mnistSubset(256, 64));
});
afterEach(() => {
  for (const h of hosts.splice(0)) h.dispose();
});

function engine(runsDir: string): EngineHost {
  const host = createNodeEngineHost({ runsDir, restart: false, onProtocolError: () => undefined });
  hosts.push(host);
  return host;
}

/** A sandbox: <root>/keep.txt beside <root>/runs, so a delete that escapes shows. */
async function sandbox() {
  const root = tempDir();
  const runs = path.join(root, 'runs');
  await fs.mkdir(runs);
  await fs.writeFile(path.join(root, 'keep.txt'), 'precious');
  return { root, runs };
}

const exists = (p: string) =>
  fs.lstat(p).then(
    () => true,
    () => false,
  );

const BAD_IDS = ['..', '.', '../x', '../runs', '/tmp', 'a/b', '', ' ', '..\\x', 'x'.repeat(300)];

describe('run ids', () => {
  it('match exactly the ids the store makes', () => {
    const id = formatRunId(new Date('2026-11-23T12:00:00.123Z'), 'lenet-caffe', 'abcdef');
    expect(id).toBe('20261123-120000-lenet-caffe-abcdef');
    expect(RUN_ID_PATTERN.test(id)).toBe(true);
    for (const bad of [...BAD_IDS, '20261123-120000-lenet5-abcdef.creating~', 'run.json'])
      expect(RUN_ID_PATTERN.test(bad), bad).toBe(false);
  });

  it('refuses ids that name anything but a direct child, through the engine', async () => {
    const { root, runs } = await sandbox();
    const host = engine(runs);
    const real = await host.request({
      type: 'train',
      config: { dataset: { kind: 'folder', path: dataDir }, epochs: 1, validationSplit: 0 },
    });
    for (const runId of BAD_IDS) {
      for (const request of [
        { type: 'delete-run', runId },
        { type: 'rename-run', runId, name: 'x' },
        { type: 'run-metrics', runId },
        { type: 'run-batches', runId },
        { type: 'load-run', runId },
        { type: 'resume-run', runId },
      ] as const) {
        await expect(host.request(request), `${request.type} ${runId}`).rejects.toThrow(
          /not a run id/,
        );
      }
    }
    expect(await fs.readFile(path.join(root, 'keep.txt'), 'utf8')).toBe('precious');
    expect((await host.request({ type: 'list-runs' })).map((r) => r.id)).toEqual([real.runId]);
  });

  it('never follows a symlinked run folder, and deletes only folders holding a run.json', async () => {
    const { root, runs } = await sandbox();
    const host = engine(runs);
    const { runId } = await host.request({
      type: 'train',
      config: { dataset: { kind: 'folder', path: dataDir }, epochs: 1, validationSplit: 0 },
    });
    // A folder outside the runs folder that looks like a run, linked in under a valid id.
    const outside = path.join(root, 'elsewhere');
    await fs.cp(path.join(runs, runId!), outside, { recursive: true });
    const runJson = await fs.readFile(path.join(outside, 'run.json'), 'utf8');
    const linked = '20261123-120000-lenet5-abcdef';
    await fs.symlink(outside, path.join(runs, linked));
    // A folder with a valid id but no run.json (not a run).
    const notRun = '20261123-120001-lenet5-fedcba';
    await fs.mkdir(path.join(runs, notRun));
    await fs.writeFile(path.join(runs, notRun, 'mine.txt'), 'x');

    for (const request of [
      { type: 'delete-run', runId: linked },
      { type: 'rename-run', runId: linked, name: 'hijacked' },
      { type: 'run-metrics', runId: linked },
      { type: 'run-batches', runId: linked },
      { type: 'load-run', runId: linked },
      { type: 'resume-run', runId: linked },
    ] as const) {
      await expect(host.request(request), request.type).rejects.toThrow(/not a run folder/);
    }
    await expect(host.request({ type: 'delete-run', runId: notRun })).rejects.toThrow(
      /no run\.json/,
    );
    expect(await fs.readFile(path.join(outside, 'run.json'), 'utf8')).toBe(runJson);
    expect(await exists(path.join(outside, 'checkpoint'))).toBe(true);
    expect(await exists(path.join(runs, linked))).toBe(true);
    expect(await exists(path.join(runs, notRun, 'mine.txt'))).toBe(true);
    // The real run is still there and can be deleted.
    await host.request({ type: 'delete-run', runId: runId! });
    expect(await exists(path.join(runs, runId!))).toBe(false);
    expect(await fs.readFile(path.join(root, 'keep.txt'), 'utf8')).toBe('precious');
  });

  it('guards the store itself, whatever validated the request', async () => {
    const { root, runs } = await sandbox();
    const store = new RunStore(runs);
    for (const id of ['..', '.', '../x', '/tmp', path.join(root, 'keep.txt')]) {
      await expect(store.remove(id), id).rejects.toThrow(/invalid run id/);
      await expect(store.read(id), id).rejects.toThrow(/invalid run id/);
      await expect(store.rename(id, 'x'), id).rejects.toThrow(/invalid run id/);
      await expect(store.metrics(id), id).rejects.toThrow(/invalid run id/);
      await expect(store.checkpointDir(id), id).rejects.toThrow(/invalid run id/);
    }
    expect(await exists(path.join(root, 'keep.txt'))).toBe(true);
  });

  it('names run.json and not its bytes when it is garbage', async () => {
    const { runs } = await sandbox();
    const id = '20261123-120000-lenet5-abcdef';
    await fs.mkdir(path.join(runs, id));
    await fs.writeFile(path.join(runs, id, 'run.json'), 'root:*:20231:0:99999:7:::\nsecret');
    const host = engine(runs);
    const [run] = await host.request({ type: 'list-runs' });
    expect(run).toMatchObject({ id, damaged: true, error: expect.stringMatching(/run\.json/) });
    const message = (run as { error: string }).error;
    expect(message).toMatch(/line 1, column 1/);
    expect(message).not.toMatch(/root|secret|20231/);
  });
});

describe('run.json updates', () => {
  it('serialises concurrent renames and status updates of one run: none is lost', async () => {
    const { runs } = await sandbox();
    const host = engine(runs);
    const { runId } = await host.request({
      type: 'train',
      config: { dataset: { kind: 'folder', path: dataDir }, epochs: 1, validationSplit: 0 },
    });
    // In the store: many updates of different fields at once; every field must land.
    const store = new RunStore(runs);
    await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => store.rename(runId!, `name ${i}`)),
      store.update(runId!, { testAccuracy: 0.123 }),
      store.update(runId!, { epochsCompleted: 7 }),
      store.update(runId!, { bestValAccuracy: 0.5 }),
    ]);
    expect(await store.read(runId!)).toMatchObject({
      name: 'name 19',
      testAccuracy: 0.123,
      epochsCompleted: 7,
      bestValAccuracy: 0.5,
    });
  });
});
