// Browser mode carries typed arrays as binary WebSocket frames: in real Chromium, the renderer's
// own client (bundled alone with its browser socket, test/e2e/helpers/binary-probe.ts) talks to
// the real server and its real engine. Evaluation details, dataset pixels and activations arrive
// as real typed arrays, and a Float32Array predict batch answers as evaluation does. Before the
// binary frames these results were JSON objects of numbered keys, which failed the client's
// response schemas.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { startServer, type RunningServer } from '../../src/server/index';
import { tempDir } from '../helpers/fixtures';
import { chromiumMissingReason, launchChromium } from './helpers/chromium';
import { PROJECT_ROOT } from './helpers/renderer-build';

const missing = chromiumMissingReason();
if (missing) console.warn(`[e2e] binary-transport tests skipped: ${missing}`);

const SAMPLES = 200;

interface ProbeReport {
  trainedOn: number;
  details: {
    labels: [string, number];
    predicted: [string, number];
    top3: [string, number];
    top3Probabilities: [string, number];
    predictedValues: number[];
    labelValues: number[];
    confidences: number[];
  } | null;
  images: {
    indices: [string, number[]];
    labels: [string, number[]];
    pixels: [string, number];
    inkedPixels: number;
  };
  predictions: Array<[number, number]>;
  activations: {
    layers: Array<[string, string, number, number[]]>;
    filters: Array<[string, string, number]>;
    firstValues: number[];
  };
}

async function buildProbePage(dir: string): Promise<void> {
  await build({
    configFile: false,
    logLevel: 'warn',
    root: PROJECT_ROOT,
    build: {
      outDir: dir,
      emptyOutDir: false,
      minify: false,
      lib: {
        entry: path.join(PROJECT_ROOT, 'test/e2e/helpers/binary-probe.ts'),
        formats: ['iife'],
        name: 'binaryProbe',
        fileName: () => 'probe.js',
      },
    },
  });
  // The browser asks for one; a 404 would be a console error.
  writeFileSync(path.join(dir, 'favicon.ico'), '');
  writeFileSync(
    path.join(dir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>binary probe</title><script src="/probe.js"></script>',
  );
}

describe.skipIf(missing !== null)('binary frames in browser mode (Chromium, real engine)', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    const dir = tempDir('lenet-binary-probe-');
    const web = path.join(dir, 'web');
    mkdirSync(web);
    await buildProbePage(web);
    server = await startServer({
      port: 0,
      host: '127.0.0.1',
      staticDir: web,
      runsDir: path.join(dir, 'runs'),
    });
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('returns evaluate details, dataset pixels and activations as typed arrays, and predicts a Float32Array batch', async () => {
    await page.goto(server.url);
    await page.waitForFunction('typeof window.probe === "object"');
    const report = (await page.evaluate(`window.probe.run(${SAMPLES})`)) as ProbeReport;

    expect(report.trainedOn).toBe(2000);
    expect(report.details).toMatchObject({
      labels: ['Int32Array', SAMPLES],
      predicted: ['Int32Array', SAMPLES],
      top3: ['Int32Array', 3 * SAMPLES],
      top3Probabilities: ['Float32Array', 3 * SAMPLES],
    });
    const details = report.details as NonNullable<ProbeReport['details']>;

    expect(report.images.indices).toEqual([
      'Int32Array',
      Array.from({ length: SAMPLES }, (_, i) => i),
    ]);
    expect(report.images.labels).toEqual(['Int32Array', details.labelValues]);
    expect(report.images.pixels).toEqual(['Uint8Array', SAMPLES * 784]);
    expect(report.images.inkedPixels).toBeGreaterThan(SAMPLES * 50);

    // The batch of the same test images, sent as one Float32Array, gets the answers the
    // evaluation gave for them (same model, same pixels: bytes / 255).
    expect(report.predictions).toHaveLength(SAMPLES);
    expect(report.predictions.map(([p]) => p)).toEqual(details.predictedValues);
    report.predictions.forEach(([, confidence], i) =>
      expect(confidence).toBeCloseTo(details.confidences[i] as number, 4),
    );

    const layers = report.activations.layers;
    expect(layers.length).toBeGreaterThanOrEqual(5);
    for (const [, kind, length, shape] of layers) {
      expect(kind).toBe('Float32Array');
      expect(length).toBe(shape.reduce((a, b) => a * b, 1));
    }
    expect(report.activations.filters.length).toBeGreaterThanOrEqual(2);
    for (const [, kind, length] of report.activations.filters) {
      expect(kind).toBe('Float32Array');
      expect(length).toBeGreaterThan(0);
    }
    expect(report.activations.firstValues.every(Number.isFinite)).toBe(true);
    expect(problems).toEqual([]);
  });
});
