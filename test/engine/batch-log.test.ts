// The batch log on its own (no TensorFlow): what it makes of the trainer's events, when it
// writes, and that a failing write is reported once without stopping anything.
import { describe, expect, it } from 'vitest';
import { FLUSH_POINTS, batchLog } from '../../src/engine/batch-log';
import type { TrainingEvent } from '../../src/shared/engine-protocol';
import type { BatchPoint } from '../../src/shared/run-record';
import { TrainingConfigSchema } from '../../src/shared/training-config';

const started: TrainingEvent = {
  kind: 'train-started',
  runId: null,
  startEpoch: 0,
  epochs: 1,
  batchesPerEpoch: 40,
  trainSamples: 1000,
  validationSamples: 0,
  testSamples: 10,
  params: 1,
  config: TrainingConfigSchema.parse({ batchSize: 25 }),
};

function batch(b: number): TrainingEvent {
  return {
    kind: 'batch',
    epoch: 0,
    batch: b,
    batchesPerEpoch: 40,
    loss: 1 / (b + 1),
    accuracy: 0.5,
    learningRate: 0.01,
    samplesPerSecond: 100,
    elapsedSeconds: b,
    etaSeconds: 40 - b,
  };
}

describe('batch log', () => {
  it('writes points in order, in whole groups, and everything on drain', async () => {
    const writes: BatchPoint[][] = [];
    const log = batchLog(
      async (points) => void writes.push(points),
      () => undefined,
    );
    log.onEvent!(started);
    for (let b = 0; b < FLUSH_POINTS + 3; b++) log.onEvent!(batch(b));
    await Promise.resolve();
    expect(writes.map((w) => w.length)).toEqual([FLUSH_POINTS]);
    await log.drain();
    expect(writes.map((w) => w.length)).toEqual([FLUSH_POINTS, 3]);
    const last = writes[1]![2]!;
    expect(last).toEqual({
      epoch: 0,
      batch: FLUSH_POINTS + 2,
      batchesPerEpoch: 40,
      step: FLUSH_POINTS + 3,
      seen: (FLUSH_POINTS + 3) * 25,
      loss: 1 / (FLUSH_POINTS + 3),
      accuracy: 0.5,
      learningRate: 0.01,
    });
    await log.drain();
    expect(writes).toHaveLength(2); // nothing new, nothing written
  });

  it('writes what it has when the run pauses', async () => {
    const writes: BatchPoint[][] = [];
    const log = batchLog(
      async (points) => void writes.push(points),
      () => undefined,
    );
    log.onEvent!(started);
    log.onEvent!(batch(0));
    log.onEvent!({ kind: 'paused', epoch: 0, batch: 1 });
    await log.drain();
    expect(writes.map((w) => w.map((p) => p.batch))).toEqual([[0]]);
  });

  it('reports a failing write once and keeps going', async () => {
    const warnings: string[] = [];
    let calls = 0;
    const log = batchLog(
      async () => {
        calls++;
        throw new Error('could not write batches.jsonl: the disk is full (ENOSPC)');
      },
      (message) => warnings.push(message),
    );
    log.onEvent!(started);
    log.onEvent!(batch(0));
    await log.drain();
    log.onEvent!(batch(1));
    log.close!();
    await log.drain();
    expect(calls).toBe(2);
    expect(warnings).toEqual([
      'the batch history is incomplete (could not write batches.jsonl: the disk is full (ENOSPC))',
    ]);
  });
});
