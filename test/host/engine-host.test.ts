// The engine protocol through a real forked engine process (real tfjs-node, real IDX files).
import { availableParallelism } from 'node:os';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EngineHost } from '../../src/host/engine-host';
import { createNodeEngineHost } from '../../src/host/engine-host-node';
import type { StudioEvent } from '../../src/shared/studio-contract';
import { packPixelBatch, type Prediction } from '../../src/shared/engine-protocol';
import { mnistSubset, writeDatasetFolder } from '../helpers/fixtures';

let dataDir: string;
let host: EngineHost | undefined;
beforeAll(() => {
  dataDir = writeDatasetFolder(mnistSubset(2000, 200));
});
afterEach(() => host?.dispose());

function start(options: { restart?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  const errors: string[] = [];
  host = createNodeEngineHost({ ...options, onProtocolError: (m) => errors.push(m) });
  const events: StudioEvent[] = [];
  host.onEvent((e) => events.push(e));
  return { host, events, errors };
}

const dataset = () => ({ kind: 'folder' as const, path: dataDir });

describe('engine process', () => {
  it('answers info with the native TensorFlow backend', async () => {
    const { host } = start();
    const info = await host.request({ type: 'info' });
    expect(info.backend).toBe('tensorflow');
    expect(info.tensorflow).toMatch(/^2\./);
    expect(info.pid).toBe(host.pid);
    expect(info.model).toBeNull();
  });

  it('rejects an invalid message with an error naming the field, and keeps serving', async () => {
    const { host } = start();
    await expect(
      host.request({ type: 'train', config: { batchSize: -3 } as never }),
    ).rejects.toThrow(/config\.batchSize: .*>=\s*1/);
    await expect(host.request({ type: 'predict', inputs: [[0.5]] })).rejects.toThrow(/inputs\.0/);
    host.sendRaw({ hello: 'world' });
    host.sendRaw('garbage');
    expect((await host.request({ type: 'info' })).backend).toBe('tensorflow');
  });

  it('announces train-done once the run is recorded, its model current and a new run may start', async () => {
    // Regression: train-done went out before run.json was updated and the model replaced, so a
    // page asking for the current model on it got the previous one (or none) for a while, and a
    // run started on it was refused as "already in progress".
    const { host, events } = start();
    const config = { epochs: 1, trainLimit: 300, testLimit: 100, dataset: dataset() };
    const seen: Array<Promise<string | null>> = [];
    const off = host.onEvent((e) => {
      // Asked the moment the event arrives, as the page does.
      if (e.kind === 'train-done')
        seen.push(host.request({ type: 'info' }).then((i) => i.model?.runId ?? null));
    });
    const first = await host.request({ type: 'train', config });
    const second = await host.request({ type: 'train', config });
    off();
    expect(events.filter((e) => e.kind === 'train-done')).toHaveLength(2);
    const [modelAfterFirst, modelAfterSecond] = await Promise.all(seen);
    expect(modelAfterFirst).toBe(first.runId);
    expect(modelAfterSecond).toBe(second.runId);
    // A run started on the event is not refused as one still in progress.
    const third = new Promise<string>((resolve) => {
      const stop = host.onEvent((e) => {
        if (e.kind !== 'train-done') return;
        stop();
        host.request({ type: 'train', config }).then(
          (s) => resolve(s.runId ?? 'unrecorded'),
          (err: Error) => resolve(err.message),
        );
      });
    });
    await host.request({ type: 'train', config });
    expect(await third).toMatch(/^\d{8}-\d{6}-/);
  });

  it('refuses to predict before a model exists', async () => {
    const { host } = start();
    await expect(
      host.request({ type: 'predict', inputs: [new Array(784).fill(0)] }),
    ).rejects.toThrow(/no model/);
  });

  it('trains with throttled progress, then predicts and evaluates with the trained model', async () => {
    const { host, events } = start();
    const summary = await host.request({
      type: 'train',
      config: { epochs: 2, dataset: dataset(), validationSplit: 0.1 },
    });
    expect(summary.epochs).toBe(2);
    expect(summary.testAccuracy).toBeGreaterThan(0.8);
    const kinds = events.map((e) => e.kind);
    expect(kinds[0]).toBe('train-started');
    expect(kinds.filter((k) => k === 'epoch')).toHaveLength(2);
    expect(kinds.at(-1)).toBe('train-done');
    const epochs = events.filter((e) => e.kind === 'epoch');
    for (const e of epochs) expect(e.valAccuracy).toBeGreaterThan(0.5);

    const digits = mnistSubset(0, 20);
    const inputs = Array.from({ length: 20 }, (_, i) =>
      Array.from(digits.testImages.subarray(i * 784, (i + 1) * 784), (v) => v / 255),
    );
    const predictions = await host.request({ type: 'predict', inputs });
    const correct = predictions.filter((p, i) => p.predicted === digits.testLabels[i]).length;
    expect(correct).toBeGreaterThanOrEqual(15);
    for (const p of predictions)
      expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);

    // The same images as one Float32Array batch (binary over the process channel): the same
    // answers as the rows of numbers.
    const batch = await host.request({ type: 'predict', inputs: packPixelBatch(inputs) });
    expect(batch.map((p) => p.predicted)).toEqual(predictions.map((p) => p.predicted));
    batch.forEach((p, i) =>
      expect(p.confidence).toBeCloseTo((predictions[i] as Prediction).confidence, 6),
    );
    await expect(
      host.request({ type: 'predict', inputs: new Float32Array(784 + 1) }),
    ).rejects.toThrow(/inputs: a batch is n×784 values; 785 is not a multiple of 784/);
    const nan = packPixelBatch(inputs.slice(0, 2));
    nan[784 + 5] = Number.NaN;
    await expect(host.request({ type: 'predict', inputs: nan })).rejects.toThrow(
      /image 1, pixel 5 is not in \[0,1\]/,
    );

    const evaluation = await host.request({ type: 'evaluate', dataset: dataset() });
    expect(evaluation.testAccuracy).toBeCloseTo(summary.testAccuracy, 6);
    expect(evaluation.confusion.flat().reduce((a, b) => a + b, 0)).toBe(200);
  });

  // On one core there is no twin to check (the plan's unit test covers that case).
  it.skipIf(availableParallelism() < 2)(
    'trains with half of each batch on its twin thread, to what one thread gives',
    async () => {
      const config = { epochs: 1, dataset: dataset(), validationSplit: 0.1, seed: 5 };
      const runs: Array<{ info: string; log: string[]; accuracy: number; loss: number | null }> =
        [];
      for (const env of [{}, { LENET_STUDIO_TWIN_THREAD: '0' }]) {
        const { host, events } = start({ env });
        const info = await host.request({ type: 'info' });
        const summary = await host.request({ type: 'train', config });
        const log = events.flatMap((e) => (e.kind === 'log' ? [e.message] : []));
        runs.push({
          info: info.kernels.threads?.reason ?? '',
          log,
          accuracy: summary.testAccuracy,
          loss: summary.finalTrainLoss,
        });
        // A large prediction goes through the twin too: it must be the model's own.
        const digits = mnistSubset(0, 200);
        const inputs = new Float32Array(digits.testImages.length);
        digits.testImages.forEach((v, i) => (inputs[i] = v / 255));
        const predictions = await host.request({ type: 'predict', inputs });
        const evaluation = await host.request({ type: 'evaluate', dataset: dataset() });
        const correct = predictions.filter((p, i) => p.predicted === digits.testLabels[i]).length;
        expect(correct / 200).toBeCloseTo(evaluation.testAccuracy, 6);
        host.dispose();
      }
      const [twin, one] = runs;
      expect(twin!.info).toMatch(/a twin thread takes half of each batch/);
      expect(twin!.log).toContain(
        'training with TensorFlow native kernels, half of each batch on a twin thread',
      );
      expect(one!.info).toMatch(/LENET_STUDIO_TWIN_THREAD=0: one thread/);
      expect(one!.log).toContain('training with TensorFlow native kernels');
      // The same run: only the order the two halves' sums are added in differs.
      expect(twin!.accuracy).toBeCloseTo(one!.accuracy, 2);
      expect(twin!.loss!).toBeCloseTo(one!.loss!, 3);
    },
    120_000,
  );

  it('pauses, resumes and stops a run through the protocol', async () => {
    const { host, events } = start();
    const next = (kind: StudioEvent['kind']) =>
      new Promise<StudioEvent>((resolve) => {
        const off = host.onEvent((e) => {
          if (e.kind === kind) {
            off();
            resolve(e);
          }
        });
      });
    const firstBatch = next('batch');
    const done = host.request({
      type: 'train',
      config: { epochs: 50, dataset: dataset(), batchSize: 16 },
    });
    await firstBatch;
    const pausedEvent = next('paused');
    const resumedEvent = next('resumed');
    await host.request({ type: 'pause' });
    const paused = await pausedEvent;
    // A round trip through the engine after it reported the pause: had training gone on, its
    // events would come before this reply on the one ordered channel.
    expect((await host.request({ type: 'info' })).training).toBe(true);
    const atPause = events.indexOf(paused);
    expect(events.slice(atPause + 1).map((e) => e.kind)).toEqual([]);

    await host.request({ type: 'resume' });
    const resumed = await resumedEvent;
    await host.request({ type: 'stop' });
    const summary = await done;
    expect(summary.stopped).toBe(true);
    expect(summary.epochs).toBeLessThan(50);

    // Nothing trained while paused: no batch between the two events, and training went on from
    // the position where it paused (batch events report the batch just trained).
    const between = events.slice(atPause + 1, events.indexOf(resumed));
    expect(between.some((e) => e.kind === 'batch')).toBe(false);
    const position = (e: StudioEvent) =>
      'epoch' in e && 'batch' in e ? (e.epoch as number) * 1e6 + (e.batch as number) : NaN;
    expect(position(resumed)).toBe(position(paused));
    const batches = events.filter((e) => e.kind === 'batch');
    for (const b of batches.filter((e) => events.indexOf(e) < atPause))
      expect(position(b)).toBeLessThan(position(paused));
    for (const b of batches.filter((e) => events.indexOf(e) > atPause))
      expect(position(b)).toBeGreaterThanOrEqual(position(paused));
    await expect(host.request({ type: 'stop' })).rejects.toThrow(/no training is running/);
  });

  it('reports a crash of the engine process and starts a fresh one', async () => {
    const { host, events } = start({ restart: true });
    const firstPid = (await host.request({ type: 'info' })).pid;
    const pending = host.request({ type: 'train', config: { epochs: 50, dataset: dataset() } });
    host.killEngine();
    await expect(pending).rejects.toThrow(/engine process ended: killed by SIGKILL/);
    expect(events).toContainEqual({ kind: 'engine-crashed', reason: 'killed by SIGKILL' });
    const info = await host.request({ type: 'info' });
    expect(info.pid).not.toBe(firstPid);
    await host.whenReady();
    expect(events).toContainEqual({ kind: 'engine-restarted', pid: info.pid });
    expect(info.training).toBe(false);
  });
});
