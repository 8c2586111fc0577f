// Run history, checkpoints and resume, through real engine processes killed for real.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../src/engine/checkpoint';
import type { EngineHost } from '../../src/host/engine-host';
import { createNodeEngineHost } from '../../src/host/engine-host-node';
import type { StudioEvent } from '../../src/shared/studio-contract';
import type { TrainingConfigInput } from '../../src/shared/training-config';
import { withPresetDefaults } from '../../src/shared/training-options';
import { mnistSubset, tempDir, writeDatasetFolder } from '../helpers/fixtures';

let dataDir: string;
const hosts: EngineHost[] = [];
beforeAll(() => {
  dataDir = writeDatasetFolder(mnistSubset(2048, 256));
});
afterEach(() => {
  for (const h of hosts.splice(0)) h.dispose();
});

function engine(runsDir: string) {
  const host = createNodeEngineHost({ runsDir, restart: false, onProtocolError: () => undefined });
  hosts.push(host);
  const events: StudioEvent[] = [];
  host.onEvent((e) => events.push(e));
  return { host, events };
}
const epochLosses = (events: StudioEvent[]) =>
  new Map(events.flatMap((e) => (e.kind === 'epoch' ? [[e.epoch, e.loss] as const] : [])));
const config = (extra: TrainingConfigInput = {}): TrainingConfigInput => ({
  dataset: { kind: 'folder', path: dataDir },
  epochs: 3,
  // 128 batches an epoch: throttled progress events land inside epochs, not only at their ends.
  batchSize: 16,
  validationSplit: 0,
  seed: 9,
  ...extra,
});
const until = (host: EngineHost, test: (e: StudioEvent) => boolean) =>
  new Promise<void>((resolve) => {
    const off = host.onEvent((e) => {
      if (test(e)) {
        off();
        resolve();
      }
    });
  });

let reference: Map<number, number>;

describe('runs', () => {
  it('records a run: run.json, one metrics line per epoch, a loadable checkpoint', async () => {
    const runs = tempDir();
    const { host, events } = engine(runs);
    const summary = await host.request({ type: 'train', config: config() });
    reference = epochLosses(events);
    expect(reference.size).toBe(3);
    const [run] = await host.request({ type: 'list-runs' });
    expect(run).toMatchObject({
      id: summary.runId,
      damaged: false,
      record: { status: 'completed', epochsCompleted: 3 },
    });
    const metrics = await host.request({ type: 'run-metrics', runId: summary.runId! });
    expect(metrics.map((m) => m.loss)).toEqual([...reference.values()]);
    const checkpoint = await loadCheckpoint(path.join(runs, summary.runId!, 'checkpoint'));
    expect(checkpoint.state).toMatchObject({ epoch: 3, batch: 0, step: 384 });
    expect(checkpoint.optimizer.slots).toHaveLength(20); // Adam's m and v for 10 weights
    checkpoint.model.dispose();
  });

  it('resumes after the engine is killed, matching the uninterrupted losses', async () => {
    const runs = tempDir();
    const first = engine(runs);
    const started = first.host.request({ type: 'train', config: config() }).catch((e: Error) => e);
    // Kill once the first epoch's checkpoint exists and the second epoch is under way.
    await until(first.host, (e) => e.kind === 'batch' && e.epoch === 1);
    first.host.killEngine();
    expect(await started).toBeInstanceOf(Error);

    const second = engine(runs);
    const [run] = await second.host.request({ type: 'list-runs' });
    expect(run).toMatchObject({ damaged: false, record: { status: 'interrupted' } });
    const summary = await second.host.request({ type: 'resume-run', runId: run!.id });
    expect(summary.epochs).toBe(3);
    const resumed = epochLosses(second.events);
    expect(resumed.size).toBeGreaterThanOrEqual(1);
    for (const [epoch, loss] of resumed) expect(loss).toBeCloseTo(reference.get(epoch)!, 4);
    const metrics = await second.host.request({ type: 'run-metrics', runId: run!.id });
    expect(metrics.map((m) => m.epoch)).toEqual([0, 1, 2]);
  });

  it('resumes a run stopped mid-epoch from the exact batch', async () => {
    const runs = tempDir();
    const { host, events } = engine(runs);
    const done = host.request({ type: 'train', config: config() });
    // Stop well inside an epoch (whichever one a throttled progress event first lands in).
    let stopEpoch = -1;
    await until(host, (e) => {
      if (e.kind !== 'batch' || e.batch < 3 || e.batch >= e.batchesPerEpoch - 10) return false;
      stopEpoch = e.epoch;
      return true;
    });
    await host.request({ type: 'stop' });
    const stopped = await done;
    expect(stopped.stopped).toBe(true);
    events.length = 0;
    const resumed = await host.request({ type: 'resume-run', runId: stopped.runId! });
    expect(resumed.stopped).toBe(false);
    const losses = epochLosses(events);
    expect([...losses.keys()]).toEqual([0, 1, 2].filter((epoch) => epoch >= stopEpoch));
    for (const [epoch, loss] of losses) expect(loss).toBeCloseTo(reference.get(epoch)!, 4);
  });

  // Kills at exact points of a checkpoint write (not at random moments): crash-points.test.ts.

  it('lists runs around a corrupt run.json; renames, loads for inference and deletes', async () => {
    const runs = tempDir();
    const { host } = engine(runs);
    const a = await host.request({ type: 'train', config: config({ epochs: 1 }) });
    const b = await host.request({ type: 'train', config: config({ epochs: 1, seed: 1 }) });
    await fs.writeFile(path.join(runs, a.runId!, 'run.json'), '{"formatVersion": 1, "id": ');
    const list = await host.request({ type: 'list-runs' });
    expect(list).toHaveLength(2);
    expect(list.find((r) => r.id === a.runId)).toMatchObject({
      damaged: true,
      error: expect.stringMatching(/not valid JSON/),
    });
    expect(list.find((r) => r.id === b.runId)).toMatchObject({ damaged: false });

    expect(
      await host.request({ type: 'rename-run', runId: b.runId!, name: 'my best' }),
    ).toMatchObject({ name: 'my best' });
    const loaded = await host.request({ type: 'load-run', runId: b.runId! });
    expect(loaded).toMatchObject({ runId: b.runId, params: 61_706 });
    const [p] = await host.request({ type: 'predict', inputs: [new Array(784).fill(0)] });
    expect(p!.probabilities).toHaveLength(10);

    await host.request({ type: 'delete-run', runId: a.runId! });
    expect((await host.request({ type: 'list-runs' })).map((r) => r.id)).toEqual([b.runId]);
    await expect(host.request({ type: 'delete-run', runId: '../etc' })).rejects.toThrow(
      /not a run id/,
    );
  });
});

describe('a loaded lenet5-1998 model', () => {
  // The export re-expresses the mask and the folds as explicit (zero or constant) weights, so
  // tf.layers counts 61,816; the model info must say the plan's 60,000, as after training.
  it("reports the plan's 60,000 trainable parameters, reopened as a run and as an export", async () => {
    const runs = tempDir();
    const { host } = engine(runs);
    const trained = await host.request({
      type: 'train',
      config: withPresetDefaults(
        config({ model: 'lenet5-1998', epochs: 1, trainLimit: 64, testLimit: 64 }),
      ),
    });
    expect(trained.params).toBe(60_000);
    expect(await host.request({ type: 'load-run', runId: trained.runId! })).toMatchObject({
      params: 60_000,
    });
    const out = path.join(tempDir(), 'export');
    await host.request({ type: 'save-model', dir: out, singleFile: false });
    expect(await host.request({ type: 'load-model', dir: out })).toMatchObject({
      preset: 'lenet5-1998',
      params: 60_000,
    });
  });
});

describe('unwritable runs folder', () => {
  it('still trains, unrecorded, and says why', async () => {
    const file = path.join(tempDir(), 'not-a-folder');
    await fs.writeFile(file, 'x');
    const { host, events } = engine(path.join(file, 'runs'));
    const summary = await host.request({
      type: 'train',
      config: config({ epochs: 1, trainLimit: 256 }),
    });
    expect(summary.runId).toBeNull();
    expect(summary.testAccuracy).toBeGreaterThan(0);
    expect(events).toContainEqual(
      expect.objectContaining({
        kind: 'log',
        level: 'warn',
        message: expect.stringMatching(/not recorded/),
      }),
    );
  });
});
