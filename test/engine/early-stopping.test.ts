// Early stopping on validation loss: the decision on scripted loss curves, then real training on
// a small MNIST subset that overfits (150 samples), where the run must stop `patience` epochs
// after its best one and end with that epoch's weights, in the model and in its last
// checkpoint; a stopped run keeps its last weights (Resume continues from them).
import * as tf from '@tensorflow/tfjs-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, type DatasetData } from '../../src/engine/dataset-files';
import { createDatasetTensors } from '../../src/engine/dataset-tensors';
import { EarlyStopTracker, WeightsCopy } from '../../src/engine/early-stopping';
import { evaluateSplit } from '../../src/engine/evaluate';
import { createModel } from '../../src/engine/models';
import { train, TrainingControl } from '../../src/engine/trainer';
import type { TrainingEvent } from '../../src/shared/engine-protocol';
import { TrainingConfigSchema, type TrainingConfigInput } from '../../src/shared/training-config';
import path from 'node:path';
import { createNodeEngineHost } from '../../src/host/engine-host-node';
import { mnistSubset, tempDir, writeDatasetFolder } from '../helpers/fixtures';

type EpochEvent = Extract<TrainingEvent, { kind: 'epoch' }>;

function verdicts(patience: number, losses: number[]) {
  const tracker = new EarlyStopTracker(patience);
  return { verdicts: losses.map((loss, epoch) => tracker.observe(epoch, loss)), tracker };
}

describe('early stopping: the decision', () => {
  it('stops `patience` epochs after the lowest loss, and remembers that epoch', () => {
    const { verdicts: v, tracker } = verdicts(2, [0.9, 0.5, 0.4, 0.45, 0.41, 0.6]);
    expect(v).toEqual(['improved', 'improved', 'improved', 'waiting', 'stop', 'stop']);
    expect(tracker.best).toEqual({ epoch: 2, valLoss: 0.4 });
  });

  it('a new low resets the count; an equal loss is no improvement', () => {
    const { verdicts: v, tracker } = verdicts(2, [0.5, 0.6, 0.3, 0.3, 0.2, 0.25]);
    expect(v).toEqual(['improved', 'waiting', 'improved', 'waiting', 'improved', 'waiting']);
    expect(tracker.best?.epoch).toBe(4);
    expect(tracker.waited).toBe(1);
  });

  it('a diverged (NaN) loss never counts as the best', () => {
    const { verdicts: v, tracker } = verdicts(1, [Number.NaN, 0.7, Number.NaN]);
    expect(v).toEqual(['stop', 'improved', 'stop']);
    expect(tracker.best).toEqual({ epoch: 1, valLoss: 0.7 });
  });

  it('refuses a patience that is not a whole number ≥ 1', () => {
    expect(() => new EarlyStopTracker(0)).toThrow(/patience/);
    expect(() => new EarlyStopTracker(1.5)).toThrow(/patience/);
  });

  it('a weights copy survives the model changing, and frees itself', () => {
    const model = createModel(TrainingConfigSchema.parse({ model: 'lenet-dense128' }));
    const copy = new WeightsCopy();
    const before = tf.memory().numTensors;
    const original = model.getWeights().map((w) => w.dataSync().slice());
    copy.take(model);
    const zeros = model.getWeights().map((w) => tf.zerosLike(w));
    model.setWeights(zeros);
    tf.dispose(zeros);
    expect(
      model
        .getWeights()[0]!
        .dataSync()
        .every((v) => v === 0),
    ).toBe(true);
    copy.restoreInto(model);
    model.getWeights().forEach((w, i) => expect(w.dataSync()).toEqual(original[i]));
    copy.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('early stopping: training on a small subset', () => {
  let data: DatasetData;
  beforeAll(async () => {
    data = await loadDataset({ kind: 'folder', path: writeDatasetFolder(mnistSubset(300, 50)) });
  });

  /** 150 training and 150 validation samples at a high constant rate: it overfits soon. */
  async function run(
    input: TrainingConfigInput,
    onEpoch?: (e: EpochEvent, c: TrainingControl) => void,
  ) {
    const config = TrainingConfigSchema.parse({
      model: 'lenet-dense128',
      validationSplit: 0.5,
      batchSize: 30,
      learningRate: 0.01,
      lrSchedule: 'constant',
      epochs: 40,
      ...input,
    });
    const tensors = createDatasetTensors(data, config);
    const model = createModel(config);
    const control = new TrainingControl();
    const events: TrainingEvent[] = [];
    /** The validation loss of the weights each checkpoint saved. */
    const checkpointLosses: number[] = [];
    const valLoss = () =>
      tensors.validation ? evaluateSplit(model, tensors.validation).testLoss : Number.NaN;
    const tensorsBefore = tf.memory().numTensors;
    const summary = await train({
      config,
      model,
      data: tensors,
      control,
      emit: (e) => {
        events.push(e);
        if (e.kind === 'epoch') onEpoch?.(e, control);
      },
      onCheckpoint: async () => {
        checkpointLosses.push(valLoss());
      },
    });
    const tensorsAfter = tf.memory().numTensors;
    const finalValLoss = valLoss();
    model.dispose();
    const epochs = events.filter((e): e is EpochEvent => e.kind === 'epoch');
    return { summary, events, epochs, finalValLoss, checkpointLosses, tensorsBefore, tensorsAfter };
  }

  it('stops `patience` epochs after the best, with the best epoch’s weights in the model and its checkpoint', async () => {
    const patience = 2;
    const { summary, events, epochs, finalValLoss, checkpointLosses, tensorsBefore, tensorsAfter } =
      await run({ earlyStopPatience: patience });
    expect(summary.earlyStop?.stoppedEarly).toBe(true);
    expect(summary.stopped).toBe(false);
    expect(epochs.length).toBeLessThan(40);
    expect(summary.epochs).toBe(epochs.length);

    const losses = epochs.map((e) => e.valLoss as number);
    const best = losses.indexOf(Math.min(...losses));
    expect(summary.earlyStop).toEqual({
      bestEpoch: best,
      bestValLoss: losses[best],
      stoppedEarly: true,
      epochsTrained: epochs.length,
    });
    // The last epoch trained is exactly `patience` after the best.
    expect(epochs.length - 1).toBe(best + patience);
    // The model holds the best epoch's weights: its validation loss is that epoch's, not the last's.
    expect(finalValLoss).toBeCloseTo(losses[best]!, 5);
    expect(Math.abs(finalValLoss - losses.at(-1)!)).toBeGreaterThan(1e-4);
    // So does the run's last checkpoint (what opening or exporting the run gives).
    expect(checkpointLosses.at(-1)).toBeCloseTo(losses[best]!, 5);
    // It said so, and the copy of the best weights is freed with the run.
    const logs = events.flatMap((e) => (e.kind === 'log' ? [e.message] : []));
    expect(logs.some((m) => m.startsWith('early stopping: the validation loss'))).toBe(true);
    expect(logs).toContain(
      `restored the weights of epoch ${best + 1} (validation loss ${losses[best]!.toFixed(4)})`,
    );
    expect(tensorsAfter).toBe(tensorsBefore);
  }, 120_000);

  it('a person’s Stop keeps the last weights (a resume continues from them)', async () => {
    const { summary, finalValLoss, epochs } = await run({ earlyStopPatience: 10 }, (e, control) => {
      if (e.epoch === 3) control.stop();
    });
    expect(summary.stopped).toBe(true);
    expect(summary.earlyStop).toBeUndefined();
    expect(finalValLoss).toBeCloseTo(epochs.at(-1)!.valLoss!, 5);
  }, 60_000);

  it('without a validation split it says early stopping is off and trains every epoch', async () => {
    const { summary, events, epochs } = await run({
      earlyStopPatience: 1,
      validationSplit: 0,
      epochs: 2,
    });
    expect(epochs).toHaveLength(2);
    expect(summary.earlyStop).toBeUndefined();
    expect(events).toContainEqual(
      expect.objectContaining({
        kind: 'log',
        level: 'warn',
        message: expect.stringMatching(/early stopping needs a validation split/),
      }),
    );
  }, 60_000);
});

describe('early stopping: a recorded run', () => {
  it('records what it did in run.json, and opening the run gives the weights it ended with', async () => {
    const subset = mnistSubset(300, 50);
    const dataDir = writeDatasetFolder(subset);
    const host = createNodeEngineHost({ runsDir: path.join(tempDir(), 'runs'), restart: false });
    const inputs = Array.from({ length: 4 }, (_, i) =>
      Array.from(subset.testImages.subarray(i * 784, (i + 1) * 784), (v) => v / 255),
    );
    const predict = async () =>
      (await host.request({ type: 'predict', inputs })).map((p) => p.probabilities);
    try {
      const summary = await host.request({
        type: 'train',
        config: {
          dataset: { kind: 'folder', path: dataDir },
          model: 'lenet-dense128',
          validationSplit: 0.5,
          batchSize: 30,
          learningRate: 0.01,
          lrSchedule: 'constant',
          epochs: 40,
          earlyStopPatience: 2,
        },
      });
      expect(summary.earlyStop?.stoppedEarly).toBe(true);
      const trained = await predict();
      const runs = await host.request({ type: 'list-runs' });
      const run = runs.find((r) => r.id === summary.runId);
      expect(run && !run.damaged && run.record).toMatchObject({
        status: 'completed',
        earlyStop: summary.earlyStop,
        testAccuracy: summary.testAccuracy,
      });
      await host.request({ type: 'load-run', runId: summary.runId! });
      expect(await predict()).toEqual(trained);
    } finally {
      host.dispose();
    }
  }, 120_000);
});
