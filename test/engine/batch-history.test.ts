// A recorded run's batch history, through a real engine process: the batch progress points a
// run emits are the ones its batches.jsonl holds and run-batches returns, thinned on request;
// runs recorded before the file existed, and torn lines, are read as they should be.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineHost } from '../../src/host/engine-host';
import { createNodeEngineHost } from '../../src/host/engine-host-node';
import { batchSpans } from '../../src/shared/batch-history';
import type { StudioEvent } from '../../src/shared/studio-contract';
import { tempDir } from '../helpers/fixtures';

type BatchEvent = Extract<StudioEvent, { kind: 'batch' }>;

const runs = tempDir('lenet-batches-');
let host: EngineHost;
let runId: string;
const batchEvents: BatchEvent[] = [];

beforeAll(async () => {
  host = createNodeEngineHost({ runsDir: runs, restart: false, onProtocolError: () => undefined });
  host.onEvent((e) => {
    if (e.kind === 'batch') batchEvents.push(e);
  });
  // 360 training samples after the 10% validation split, 45 batches an epoch.
  const summary = await host.request({
    type: 'train',
    config: { epochs: 2, batchSize: 8, trainLimit: 400, testLimit: 100, seed: 3 },
  });
  runId = summary.runId!;
}, 120_000);

afterAll(async () => {
  host.dispose();
  await fs.rm(runs, { recursive: true, force: true });
});

describe('batch history', () => {
  it('records the batch progress points the run emitted, each epoch’s last batch included', async () => {
    const history = await host.request({ type: 'run-batches', runId });
    expect(history.total).toBe(batchEvents.length);
    expect(history.points).toEqual(
      batchEvents.map((e) => ({
        epoch: e.epoch,
        batch: e.batch,
        batchesPerEpoch: 45,
        step: e.epoch * 45 + e.batch + 1,
        seen: Math.min((e.batch + 1) * 8, 360),
        loss: e.loss,
        accuracy: e.accuracy,
        learningRate: e.learningRate,
      })),
    );
    for (const epoch of [0, 1])
      expect(history.points.some((p) => p.epoch === epoch && p.batch === 44)).toBe(true);
    // The last span of each epoch ends where the epoch's mean does.
    const spans = batchSpans(history.points);
    expect(spans[spans.length - 1]!.x).toBe(2);
    for (const s of spans) {
      expect(s.loss).toBeGreaterThanOrEqual(0);
      expect(s.accuracy).toBeGreaterThanOrEqual(0);
      expect(s.accuracy).toBeLessThanOrEqual(1);
    }
  });

  it('thins a history to the limit asked for, keeping the epochs’ ends', async () => {
    const thinned = await host.request({ type: 'run-batches', runId, limit: 2 });
    expect(thinned.total).toBe(batchEvents.length);
    expect(thinned.points.map((p) => [p.epoch, p.batch])).toEqual([
      [0, 44],
      [1, 44],
    ]);
    await expect(host.request({ type: 'run-batches', runId, limit: 1 })).rejects.toThrow(/limit/);
  });

  it('skips a torn line, and reads a run without a batch history as having none', async () => {
    const file = path.join(runs, runId, 'batches.jsonl');
    await fs.appendFile(file, '{"epoch":1,"batch":');
    expect((await host.request({ type: 'run-batches', runId })).total).toBe(batchEvents.length);

    await fs.rm(file);
    expect(await host.request({ type: 'run-batches', runId })).toEqual({ points: [], total: 0 });
    expect(await host.request({ type: 'run-metrics', runId })).toHaveLength(2);
  });
});
