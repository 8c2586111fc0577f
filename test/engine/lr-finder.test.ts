// The learning-rate range test: its arithmetic on made-up curves, then the real engine process
// sweeping a throwaway copy of the model on a small MNIST subset: rates that grow, a suggestion
// within the sweep, the current model's predictions and the engine's tensors as they were, and
// a clear refusal while a run trains.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineHost } from '../../src/host/engine-host';
import { createNodeEngineHost } from '../../src/host/engine-host-node';
import {
  createLossSmoother,
  hasDiverged,
  suggestLearningRate,
  sweepRate,
  type LrPoint,
} from '../../src/shared/lr-range';
import { mnistSubset, tempDir, writeDatasetFolder } from '../helpers/fixtures';

/** A sweep whose smoothed loss is `curve(log10 lr)`. */
function sweep(curve: (decade: number) => number, n = 100): LrPoint[] {
  return Array.from({ length: n }, (_, i) => {
    const lr = sweepRate(i, n, 1e-5, 1);
    const loss = curve(Math.log10(lr));
    return { lr, loss, smoothed: loss };
  });
}

describe('lr range arithmetic', () => {
  it('rates go from the lowest to the highest, evenly in log', () => {
    expect(sweepRate(0, 100, 1e-5, 1)).toBeCloseTo(1e-5, 12);
    expect(sweepRate(99, 100, 1e-5, 1)).toBeCloseTo(1, 12);
    expect(sweepRate(1, 3, 1e-4, 1)).toBeCloseTo(1e-2, 12);
  });

  it('the smoother is bias-corrected: a constant loss stays itself from the first batch', () => {
    const smooth = createLossSmoother(0.9);
    expect([2, 2, 2].map(smooth).map((v) => Number(v.toFixed(12)))).toEqual([2, 2, 2]);
  });

  it('suggests the steepest descent before the minimum', () => {
    // Flat, then a fall centred on 1e-3 (steepest there), a minimum near 1e-1, then a blow-up.
    const points = sweep(
      (d) => 2.3 - 2 / (1 + Math.exp(-3 * (d + 3))) + (d > -1 ? 4 * (d + 1) ** 2 : 0),
    );
    const s = suggestLearningRate(points)!;
    expect(s.rule).toBe('steepest');
    expect(Math.log10(s.suggested)).toBeCloseTo(-3, 0);
    expect(s.minLossLr).toBeGreaterThan(s.suggested);
  });

  it('falls back to a tenth of the minimum’s rate when the loss only rises', () => {
    const s = suggestLearningRate(sweep((d) => 1 + (d + 5)))!;
    expect(s.rule).toBe('min/10');
    expect(s.minLossLr).toBeCloseTo(1e-5, 12);
    expect(s.suggested).toBeCloseTo(1e-5, 12); // never below the sweep's lowest rate
  });

  it('a blown-up loss is divergence; a short sweep has no suggestion', () => {
    expect(hasDiverged(Number.NaN, 1)).toBe(true);
    expect(hasDiverged(4.5, 1)).toBe(true);
    expect(hasDiverged(3.9, 1)).toBe(false);
    expect(suggestLearningRate(sweep((d) => d, 2))).toBeNull();
  });
});

describe('lr range test in the engine', () => {
  let host: EngineHost;
  let dataDir: string;
  const subset = mnistSubset(600, 100);
  const inputs = Array.from({ length: 4 }, (_, i) =>
    Array.from(subset.testImages.subarray(i * 784, (i + 1) * 784), (v) => v / 255),
  );
  const config = () => ({
    dataset: { kind: 'folder' as const, path: dataDir },
    epochs: 1,
    validationSplit: 0,
    batchSize: 32,
  });
  const predict = async () =>
    (await host.request({ type: 'predict', inputs })).map((p) => p.probabilities);

  beforeAll(() => {
    dataDir = writeDatasetFolder(subset);
    host = createNodeEngineHost({ runsDir: path.join(tempDir(), 'runs'), restart: false });
  });
  afterAll(() => host?.dispose());

  it('returns growing rates, their losses and a suggestion within the sweep; the current model is untouched', async () => {
    await host.request({ type: 'train', config: config() });
    // Predicting first builds the current model's inference network (kept with the model).
    const predictionsBefore = await predict();
    const before = await host.request({ type: 'info' });

    const result = await host.request({
      type: 'lr-range-test',
      config: { ...config(), seed: 7 },
      batches: 40,
    });
    expect(result.points.length).toBeGreaterThan(10);
    expect(result.points.length).toBeLessThanOrEqual(40);
    for (let i = 1; i < result.points.length; i++)
      expect(result.points[i]!.lr).toBeGreaterThan(result.points[i - 1]!.lr);
    expect(result.points[0]!.lr).toBeCloseTo(1e-5, 10);
    expect(result.suggested).not.toBeNull();
    expect(result.suggested!).toBeGreaterThanOrEqual(1e-5);
    expect(result.suggested!).toBeLessThanOrEqual(1);
    expect(result.batchSize).toBe(32);
    // Starting from random weights the loss at the lowest rate is about ln 10.
    expect(result.points[0]!.loss).toBeGreaterThan(1.5);

    const after = await host.request({ type: 'info' });
    expect(after.model).toEqual(before.model);
    expect(await predict()).toEqual(predictionsBefore);
    // The throwaway model, its optimizer and its native variables are all gone.
    expect(after.memory.numTensors).toBe(before.memory.numTensors);
  }, 120_000);

  it('is refused while a run trains, with a message saying why', async () => {
    let started!: () => void;
    const training = new Promise<void>((resolve) => (started = resolve));
    const off = host.onEvent((e) => {
      if (e.kind === 'batch') started();
    });
    const run = host.request({ type: 'train', config: { ...config(), epochs: 50 } });
    await training;
    off();
    await expect(host.request({ type: 'lr-range-test', config: config() })).rejects.toThrow(
      /cannot find a learning rate while a training run is in progress/,
    );
    await host.request({ type: 'stop' });
    expect((await run).stopped).toBe(true);
  }, 120_000);
});
