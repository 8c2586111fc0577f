// The proof of portability: a model trained by the studio's engine and exported, in either
// variant, loads in an unrelated page that knows only plain @tensorflow/tfjs, and predicts what
// the engine predicts for the same 20 real MNIST test digits (max abs difference ≤ 1e-5).
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { EngineHost } from '../../src/host/engine-host';
import { createNodeEngineHost } from '../../src/host/engine-host-node';
import { bundledMnistDir } from '../../src/engine/dataset-files';
import { MODEL_PRESETS, withPresetDefaults } from '../../src/shared/training-options';
import { tempDir } from '../helpers/fixtures';
import { chromiumMissingReason, launchChromium } from './helpers/chromium';
import { servePlainTfjsPage, type PlainTfjsPage } from './helpers/plain-tfjs-page';

const missing = chromiumMissingReason();
if (missing) console.warn(`[e2e] portability tests skipped: ${missing}`);

const TOLERANCE = 1e-5;
const IMAGES = 20;

interface PagePrediction {
  probabilities: number[][];
  backend: string;
  tfjs: string;
  labels: string[] | null;
}

/** The first `count` MNIST test digits as 784 floats in [0,1] each, and their labels. */
function mnistTestDigits(count: number): { images: number[][]; labels: number[] } {
  const dir = bundledMnistDir();
  const pixels = readFileSync(path.join(dir, 't10k-images-idx3-ubyte'));
  const labelBytes = readFileSync(path.join(dir, 't10k-labels-idx1-ubyte'));
  const images: number[][] = [];
  for (let i = 0; i < count; i++) {
    const start = 16 + i * 784; // after the IDX header
    images.push(Array.from(pixels.subarray(start, start + 784), (v) => v / 255));
  }
  return { images, labels: Array.from(labelBytes.subarray(8, 8 + count)) };
}

function maxAbsDifference(a: number[][], b: number[][]): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  a.forEach((row, i) => {
    const other = b[i] as number[];
    expect(row.length).toBe(other.length);
    row.forEach((v, k) => {
      max = Math.max(max, Math.abs(v - (other[k] as number)));
    });
  });
  return max;
}

function argmax(row: number[]): number {
  return row.reduce((best, v, k) => (v > (row[best] as number) ? k : best), 0);
}

describe.skipIf(missing !== null)('exported models in plain TensorFlow.js (Chromium)', () => {
  const exportsDir = tempDir('lenet-portability-');
  const runsDir = tempDir('lenet-portability-runs-');
  const digits = mnistTestDigits(IMAGES);
  let host: EngineHost;
  let site: PlainTfjsPage;
  let browser: Browser;
  let page: Page;
  /** The engine's probabilities for the digits, from the model it trained. */
  let engineProbabilities: number[][];

  beforeAll(async () => {
    host = createNodeEngineHost({ runsDir, restart: false });
    await host.whenReady();
    const summary = await host.request({
      type: 'train',
      config: { trainLimit: 2000, testLimit: 500, epochs: 1, batchSize: 64 },
    });
    expect(summary.runId).not.toBeNull();

    const predictions = await host.request({ type: 'predict', inputs: digits.images });
    engineProbabilities = predictions.map((p) => p.probabilities);
    await host.request({ type: 'save-model', dir: path.join(exportsDir, 'folder') });
    await host.request({
      type: 'save-model',
      dir: path.join(exportsDir, 'single.json'),
      singleFile: true,
    });

    site = await servePlainTfjsPage(exportsDir);
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(site.origin);
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    host?.dispose();
    rmSync(exportsDir, { recursive: true, force: true });
    rmSync(runsDir, { recursive: true, force: true });
  });

  it('the trained model is a real one (most digits right)', () => {
    const right = engineProbabilities.filter((p, i) => argmax(p) === digits.labels[i]).length;
    expect(right).toBeGreaterThanOrEqual(IMAGES * 0.8);
  });

  it('the folder export (model.json + weights.bin) predicts the same in the page', async () => {
    const result = (await page.evaluate(
      `window.predictFromUrl(${JSON.stringify(`${site.origin}/models/folder/model.json`)}, ${JSON.stringify(digits.images)})`,
    )) as PagePrediction;
    expect(result.backend).toBe('cpu');
    expect(result.tfjs).toBe('4.22.0');
    expect(result.labels).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(maxAbsDifference(result.probabilities, engineProbabilities)).toBeLessThanOrEqual(
      TOLERANCE,
    );
    expect(result.probabilities.map(argmax)).toEqual(engineProbabilities.map(argmax));
  });

  it('the single-file export (base64 weights) predicts the same in the page', async () => {
    const result = (await page.evaluate(
      `window.predictFromSingleFile(${JSON.stringify(`${site.origin}/models/single.json`)}, ${JSON.stringify(digits.images)})`,
    )) as PagePrediction;
    expect(result.backend).toBe('cpu');
    expect(result.labels).toHaveLength(10);
    expect(maxAbsDifference(result.probabilities, engineProbabilities)).toBeLessThanOrEqual(
      TOLERANCE,
    );
    expect(result.probabilities.map(argmax)).toEqual(engineProbabilities.map(argmax));
  });

  // Every other preset, with its own defaults: lenet5-1998's folded re-expressions (C3 as a
  // masked Conv2D, subsampling as a depthwise conv, scaled tanh as tanh with the constants in
  // the weights, the RBF output as Dense + softmax) are built-in layers of plain tfjs.
  it.each(MODEL_PRESETS.filter((m) => m !== 'lenet5'))(
    '%s: its export predicts the same in the page, and loads back as that preset',
    async (model) => {
      await host.request({
        type: 'train',
        config: withPresetDefaults({
          model,
          trainLimit: 600,
          testLimit: 100,
          epochs: 1,
          validationSplit: 0,
        }),
      });
      const engine = (await host.request({ type: 'predict', inputs: digits.images })).map(
        (p) => p.probabilities,
      );
      const dir = path.join(exportsDir, model);
      await host.request({ type: 'save-model', dir });
      const result = (await page.evaluate(
        `window.predictFromUrl(${JSON.stringify(`${site.origin}/models/${model}/model.json`)}, ${JSON.stringify(digits.images)})`,
      )) as PagePrediction;
      expect(result.backend).toBe('cpu');
      expect(maxAbsDifference(result.probabilities, engine)).toBeLessThanOrEqual(TOLERANCE);
      expect(result.probabilities.map(argmax)).toEqual(engine.map(argmax));
      const loaded = await host.request({ type: 'load-model', dir });
      expect(loaded.preset).toBe(model);
    },
  );

  it('the engine loads its own exports back and predicts identically', async () => {
    for (const location of ['folder', 'single.json']) {
      await host.request({ type: 'load-model', dir: path.join(exportsDir, location) });
      const again = await host.request({ type: 'predict', inputs: digits.images });
      expect(
        maxAbsDifference(
          again.map((p) => p.probabilities),
          engineProbabilities,
        ),
      ).toBe(0);
    }
  });
});
