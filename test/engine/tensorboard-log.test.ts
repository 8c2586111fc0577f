// Every recorded run writes TensorBoard event files in <run>/tensorboard/, read back here with
// a TFRecord reader of the test's own (checksums checked) for their tags and steps, and with
// TensorBoard's own loader where its venv is provisioned (`.ci/run` does).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EngineHost } from '../../src/host/engine-host';
import { createNodeEngineHost } from '../../src/host/engine-host-node';
import type { StudioEvent } from '../../src/shared/studio-contract';
import { crc32c, readSummaryValues, type SummaryValue } from '../helpers/tfrecord';
import { mnistSubset, tempDir, writeDatasetFolder } from '../helpers/fixtures';
import { loadWithTensorBoard, tensorBoardMissingReason } from '../helpers/tensorboard-python';

const tensorBoardMissing = tensorBoardMissingReason();
if (tensorBoardMissing) console.warn(`[tensorboard] loader test skipped: ${tensorBoardMissing}`);

const hosts: EngineHost[] = [];
afterAll(() => hosts.forEach((h) => h.dispose()));

describe('crc32c', () => {
  it('matches the standard check value', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
  });
});

describe('TensorBoard logs', () => {
  /** The first test's run: its logdir and the batch steps its progress events named. */
  let written: { logdir: string; batchSteps: number[] } | null = null;

  it('hold batch loss/accuracy, epoch metrics and learning rate, weight histograms', async () => {
    const runsDir = tempDir('lenet-tb-');
    const host = createNodeEngineHost({ runsDir, restart: false });
    hosts.push(host);
    const events: StudioEvent[] = [];
    host.onEvent((e) => events.push(e));
    const summary = await host.request({
      type: 'train',
      config: {
        dataset: { kind: 'folder', path: writeDatasetFolder(mnistSubset(640, 64)) },
        epochs: 2,
        batchSize: 32,
        validationSplit: 0.25,
        seed: 4,
      },
    });
    const logdir = path.join(runsDir, summary.runId!, 'tensorboard');
    const files = readdirSync(logdir);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(f).toMatch(/^events\.out\.tfevents\.\d+\..+\.v2$/);
    const values: SummaryValue[] = files.flatMap((f) =>
      readSummaryValues(new Uint8Array(readFileSync(path.join(logdir, f)))),
    );
    const steps = (tag: string) => values.filter((v) => v.tag === tag).map((v) => v.step);

    // Per batch: one point per progress event (throttled), at the global step.
    const started = events.find((e) => e.kind === 'train-started');
    const perEpoch = started?.kind === 'train-started' ? started.batchesPerEpoch : 0;
    expect(perEpoch).toBe(15); // 480 training samples / 32
    const batchSteps = events.flatMap((e) =>
      e.kind === 'batch' ? [e.epoch * perEpoch + e.batch + 1] : [],
    );
    expect(batchSteps).toContain(15);
    expect(batchSteps).toContain(30);
    expect(steps('batch/loss')).toEqual(batchSteps);
    expect(steps('batch/accuracy')).toEqual(batchSteps);
    written = { logdir, batchSteps };
    // The values are the events' own.
    const lastBatch = events.filter((e) => e.kind === 'batch').at(-1);
    const logged = values.filter((v) => v.tag === 'batch/loss').at(-1)!;
    expect(logged.simpleValue ?? NaN).toBeCloseTo(
      lastBatch?.kind === 'batch' ? lastBatch.loss : NaN,
      5,
    );

    // Per epoch: step = epochs completed.
    for (const tag of [
      'epoch/loss',
      'epoch/accuracy',
      'epoch/val_loss',
      'epoch/val_accuracy',
      'epoch/learning_rate',
    ]) {
      expect(steps(tag), tag).toEqual([1, 2]);
    }
    // One histogram per weight of every layer per epoch.
    const histograms = values.filter((v) => v.tag.startsWith('weights/'));
    expect([...new Set(histograms.map((v) => v.tag))].sort()).toEqual(
      ['c1', 'c3', 'c5', 'f6', 'output']
        .flatMap((l) => [`weights/${l}/bias`, `weights/${l}/kernel`])
        .sort(),
    );
    expect(histograms.every((v) => v.plugin === 'histograms')).toBe(true);
    expect(steps('weights/c1/kernel')).toEqual([1, 2]);

    // The epoch events carry the validation confusion and per-class accuracy.
    const epochs = events.filter((e) => e.kind === 'epoch');
    expect(epochs).toHaveLength(2);
    for (const e of epochs) {
      if (e.kind !== 'epoch') continue;
      expect(e.valConfusion).toHaveLength(10);
      expect(e.valConfusion!.flat().reduce((a, b) => a + b, 0)).toBe(160);
      expect(e.valPerClassAccuracy).toHaveLength(10);
      const diagonal = e.valConfusion!.reduce((s, row, k) => s + row[k]!, 0);
      expect(diagonal / 160).toBeCloseTo(e.valAccuracy!, 12);
    }
    // metrics.jsonl keeps its format (no matrices in the run history).
    const metrics = readFileSync(path.join(runsDir, summary.runId!, 'metrics.jsonl'), 'utf8');
    expect(metrics).not.toContain('valConfusion');
  }, 120_000);

  it.skipIf(tensorBoardMissing !== null)(
    "TensorBoard's own loader reads the same tags and steps",
    () => {
      expect(written, 'the run of the test above').not.toBeNull();
      const { logdir, batchSteps } = written!;
      const loaded = loadWithTensorBoard(logdir);
      expect(loaded.scalars['batch/loss']).toEqual(batchSteps);
      expect(loaded.scalars['batch/accuracy']).toEqual(batchSteps);
      for (const tag of ['epoch/loss', 'epoch/val_accuracy', 'epoch/learning_rate']) {
        expect(loaded.scalars[tag], tag).toEqual([1, 2]);
      }
      expect(loaded.tensors['weights/c1/kernel']).toEqual([1, 2]);
      expect(loaded.plugins['weights/c1/kernel']).toBe('histograms');
    },
    120_000,
  );
});
