// The evaluation behind the Evaluate view's galleries, through a real engine process: per-class
// scores, per-sample predictions and top-3 as binary arrays across the process boundary, and
// test images fetched by index.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineHost } from '../../src/host/engine-host';
import { createNodeEngineHost } from '../../src/host/engine-host-node';
import { confusionMatrix, perClassMetrics } from '../../src/shared/class-metrics';
import { mnistSubset, tempDir, writeDatasetFolder, type MnistSubset } from '../helpers/fixtures';

let host: EngineHost;
let subset: MnistSubset;
let dataDir: string;
const TEST = 300;

beforeAll(async () => {
  subset = mnistSubset(2048, TEST);
  dataDir = writeDatasetFolder(subset);
  host = createNodeEngineHost({ runsDir: tempDir(), restart: false });
  await host.request({
    type: 'train',
    config: {
      dataset: { kind: 'folder', path: dataDir },
      epochs: 1,
      batchSize: 64,
      validationSplit: 0,
      seed: 3,
    },
  });
}, 120_000);
afterAll(() => host?.dispose());

describe('evaluate', () => {
  it('returns confusion, per-class scores and per-sample binary arrays', async () => {
    const r = await host.request({
      type: 'evaluate',
      dataset: { kind: 'folder', path: dataDir },
      details: true,
      probabilities: true,
    });
    expect(r.samples).toBe(TEST);
    const d = r.details!;
    expect(d.labels).toBeInstanceOf(Int32Array);
    expect(d.predicted).toBeInstanceOf(Int32Array);
    expect(d.top3).toBeInstanceOf(Int32Array);
    expect(d.top3Probabilities).toBeInstanceOf(Float32Array);
    expect(d.probabilities).toBeInstanceOf(Float32Array);
    expect([d.labels.length, d.top3.length, d.probabilities!.length]).toEqual([
      TEST,
      3 * TEST,
      10 * TEST,
    ]);
    expect(Array.from(d.labels)).toEqual(Array.from(subset.testLabels));
    // The matrix and the scores are those of the per-sample arrays.
    expect(r.confusion).toEqual(confusionMatrix(d.labels, d.predicted, 10));
    expect(r.perClass).toEqual(perClassMetrics(r.confusion));
    expect(r.perClass.reduce((s, c) => s + c.support, 0)).toBe(TEST);
    const correct = d.labels.filter((l, i) => l === d.predicted[i]).length;
    expect(r.testAccuracy).toBeCloseTo(correct / TEST, 12);
    for (let i = 0; i < TEST; i++) {
      const probs = Array.from(d.probabilities!.subarray(10 * i, 10 * i + 10));
      expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      // Top-3: the three largest, most likely first, the first one the prediction.
      const ranked = probs.map((p, k) => [p, k] as const).sort((a, b) => b[0] - a[0]);
      expect(d.top3[3 * i]).toBe(d.predicted[i]);
      expect(Array.from(d.top3Probabilities.subarray(3 * i, 3 * i + 3))).toEqual(
        ranked.slice(0, 3).map(([p]) => Math.fround(p)),
      );
    }
  });

  it('without details stays as small as before (no per-sample arrays)', async () => {
    const r = await host.request({ type: 'evaluate', dataset: { kind: 'folder', path: dataDir } });
    expect(r.details).toBeUndefined();
    expect(r.perClass).toHaveLength(10);
  });
});

describe('dataset-images', () => {
  it('returns the 28×28 bytes and labels of the test images asked for', async () => {
    const r = await host.request({
      type: 'dataset-images',
      dataset: { kind: 'folder', path: dataDir },
      indices: [7, 0, 299],
    });
    expect(r.pixels).toBeInstanceOf(Uint8Array);
    expect(Array.from(r.indices)).toEqual([7, 0, 299]);
    [7, 0, 299].forEach((index, k) => {
      expect(r.labels[k]).toBe(subset.testLabels[index]);
      expect(Buffer.from(r.pixels.subarray(784 * k, 784 * (k + 1)))).toEqual(
        Buffer.from(subset.testImages.subarray(784 * index, 784 * (index + 1))),
      );
    });
  });

  it('refuses an index past the split, naming it', async () => {
    await expect(
      host.request({
        type: 'dataset-images',
        dataset: { kind: 'folder', path: dataDir },
        indices: [TEST],
      }),
    ).rejects.toThrow(`image ${TEST} is not in the test split`);
  });
});

describe('activations', () => {
  it('answers one digit with every layer and the filters as Float32Arrays', async () => {
    const input = Float32Array.from(subset.testImages.subarray(0, 784), (v) => v / 255);
    const r = await host.request({ type: 'activations', input });
    expect(r.layers.map((l) => [l.name, l.kind, l.shape.join('×')])).toEqual([
      ['c1', 'conv', '28×28×6'],
      ['s2', 'pool', '14×14×6'],
      ['c3', 'conv', '10×10×16'],
      ['s4', 'pool', '5×5×16'],
      ['flatten', 'flatten', '400'],
      ['c5', 'dense', '120'],
      ['f6', 'dense', '84'],
      ['output', 'dense', '10'],
    ]);
    for (const l of r.layers) expect(l.values).toBeInstanceOf(Float32Array);
    expect(r.filters.map((f) => f.values.length)).toEqual([5 * 5 * 6, 5 * 5 * 6 * 16]);
    // The same as predict on the same digit.
    const [prediction] = await host.request({ type: 'predict', inputs: [Array.from(input)] });
    const output = Array.from(r.layers.at(-1)!.values);
    prediction!.probabilities.forEach((p, k) => expect(output[k]).toBeCloseTo(p, 6));
    expect(r.milliseconds).toBeGreaterThan(0);
  });

  it('refuses an input of the wrong size', async () => {
    await expect(
      host.request({ type: 'activations', input: new Float32Array(10) }),
    ).rejects.toThrow(/784/);
  });
});

describe('activations of the model being trained', () => {
  it("gives each epoch's filters while training runs, the last ones the trained model's", async () => {
    const input = Float32Array.from(subset.testImages.subarray(784, 1568), (v) => v / 255);
    const perEpoch: Array<Promise<Float32Array>> = [];
    const off = host.onEvent((e) => {
      if (e.kind !== 'epoch') return;
      perEpoch.push(
        host
          .request({ type: 'activations', input, training: true })
          .then((r) => r.filters[0]!.values),
      );
    });
    try {
      await host.request({
        type: 'train',
        config: {
          dataset: { kind: 'folder', path: dataDir },
          epochs: 2,
          batchSize: 32,
          validationSplit: 0,
          seed: 8,
        },
      });
    } finally {
      off();
    }
    const [first, second] = await Promise.all(perEpoch);
    expect(perEpoch).toHaveLength(2);
    expect(Array.from(first!)).not.toEqual(Array.from(second!));
    const trained = await host.request({ type: 'activations', input });
    expect(Array.from(trained.filters[0]!.values)).toEqual(Array.from(second!));
    await expect(host.request({ type: 'activations', input, training: true })).rejects.toThrow(
      'no training is running',
    );
  }, 60_000);
});
