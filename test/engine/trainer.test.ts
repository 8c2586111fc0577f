import * as tf from '@tensorflow/tfjs-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, type DatasetData } from '../../src/engine/dataset-files';
import { createDatasetTensors, type DatasetTensors } from '../../src/engine/dataset-tensors';
import { createModel } from '../../src/engine/models';
import { train, TrainingControl } from '../../src/engine/trainer';
import type { TrainingEvent } from '../../src/shared/engine-protocol';
import { TrainingConfigSchema, type TrainingConfigInput } from '../../src/shared/training-config';
import { withPresetDefaults } from '../../src/shared/training-options';
import { mnistSubset, writeDatasetFolder } from '../helpers/fixtures';

let data: DatasetData;
beforeAll(async () => {
  data = await loadDataset({ kind: 'folder', path: writeDatasetFolder(mnistSubset(600, 200)) });
});

async function run(
  input: TrainingConfigInput,
  hook?: (e: TrainingEvent, control: TrainingControl) => void,
  now?: () => number,
) {
  const config = TrainingConfigSchema.parse({ validationSplit: 0, batchSize: 32, ...input });
  const tensors: DatasetTensors = createDatasetTensors(data, config);
  const model = createModel(config);
  const control = new TrainingControl();
  const events: TrainingEvent[] = [];
  const summary = await train({
    config,
    model,
    data: tensors,
    control,
    emit: (e) => {
      events.push(e);
      hook?.(e, control);
    },
    now,
  });
  tensors.dispose();
  model.dispose();
  return { summary, events };
}

const epochsOf = (events: TrainingEvent[]) =>
  events.filter((e): e is Extract<TrainingEvent, { kind: 'epoch' }> => e.kind === 'epoch');

describe('train', () => {
  it('lowers the loss on a few hundred real MNIST samples', async () => {
    const { events, summary } = await run({ epochs: 4 });
    const epochs = epochsOf(events);
    expect(epochs).toHaveLength(4);
    expect(epochs[3]!.loss).toBeLessThan(epochs[0]!.loss * 0.6);
    expect(summary.testAccuracy).toBeGreaterThan(0.6); // 200 real test digits after 4 epochs of 600
    expect(events[0]!.kind).toBe('train-started');
    // train-done is the engine's, sent once the run is recorded (test/host/engine-host.test.ts).
    expect(events.map((e) => e.kind)).not.toContain('train-done');
  });

  it('does not leak tensors across epochs, nor after the run', async () => {
    const before = tf.memory().numTensors;
    const { events } = await run({ epochs: 3, validationSplit: 0.2 });
    const counts = epochsOf(events).map((e) => e.numTensors);
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops within one batch and keeps the weights trained so far', async () => {
    let stopAt: number | undefined;
    // A clock that jumps 200 ms per reading makes every batch emit its event, so the stop
    // lands at batch 3 of the second epoch however fast the machine is.
    let clock = 0;
    const { summary, events } = await run(
      { epochs: 5 },
      (e, control) => {
        if (e.kind === 'batch' && e.epoch === 1 && e.batch === 3) {
          stopAt = e.batch;
          control.stop();
        }
      },
      () => (clock += 200),
    );
    expect(stopAt).toBe(3);
    expect(summary.stopped).toBe(true);
    expect(summary.epochs).toBe(1); // the first epoch completed, the second was cut short
    expect(summary.batchesInLastEpoch).toBe((stopAt ?? 0) + 1);
    expect(events.some((e) => e.kind === 'batch' && e.epoch > 1)).toBe(false);
  });

  it('pauses at a batch boundary and resumes from the same position', async () => {
    const seen: string[] = [];
    const { summary } = await run({ epochs: 1 }, (e, control) => {
      seen.push(e.kind);
      if (e.kind === 'batch' && !seen.includes('paused')) control.pause();
      // Resume once the trainer says it paused, after it has begun waiting (a microtask runs
      // after the synchronous emit and the waitWhilePaused call that follows it).
      if (e.kind === 'paused') queueMicrotask(() => control.resume());
    });
    expect(seen).toContain('paused');
    // Nothing trained while paused: 'resumed' is the very next event after 'paused'.
    expect(seen[seen.indexOf('paused') + 1]).toBe('resumed');
    expect(summary.stopped).toBe(false);
    expect(summary.batchesInLastEpoch).toBe(Math.ceil(600 / 32));
  });

  it('gives the same losses for the same seed, and different ones for another seed', async () => {
    const losses = async (seed: number) =>
      epochsOf((await run({ epochs: 2, seed })).events).map((e) => e.loss);
    const a = await losses(3);
    const b = await losses(3);
    const c = await losses(4);
    expect(b).toEqual(a.map((v) => expect.closeTo(v, 5)));
    expect(c[0]).not.toBeCloseTo(a[0]!, 5);
  });

  it('throttles batch events', async () => {
    const { events } = await run({ epochs: 1 });
    const batches = events.filter((e) => e.kind === 'batch');
    // 19 batches in well under a second: the first, then at most ~10 per second, plus the last.
    expect(batches.length).toBeLessThan(19);
    expect(batches.at(-1)).toMatchObject({ batch: 18 });
  });
});

describe('train with distortions', () => {
  const distorted = {
    epochs: 1,
    distortTranslate: 2,
    distortScale: 0.1,
    distortSqueeze: 0.1,
    distortShear: 0.15,
  };
  it('draws the same distortions for the same seed (same losses), others without them', async () => {
    const lossesOf = async (input: TrainingConfigInput) =>
      (await run(input)).events.flatMap((e) => (e.kind === 'epoch' ? [e.loss] : []));
    const a = await lossesOf({ ...distorted, seed: 5 });
    const b = await lossesOf({ ...distorted, seed: 5 });
    const plain = await lossesOf({ epochs: 1, seed: 5 });
    expect(a).toEqual(b);
    expect(a[0]).not.toBe(plain[0]);
  });

  it('trains the 1998 preset with distortions on the native path', async () => {
    const { events, summary } = await run({
      ...withPresetDefaults({ model: 'lenet5-1998' }),
      ...distorted,
      epochs: 2,
      validationSplit: 0,
    });
    expect(events).toContainEqual(
      expect.objectContaining({ kind: 'log', message: 'training with TensorFlow native kernels' }),
    );
    expect(summary.params).toBe(60_000);
    // 600 samples are too few to leave the initial plateau: the criterion falls, that is all.
    const [first, second] = epochsOf(events).map((e) => e.loss);
    expect(second).toBeLessThan(first!);
  });
});
