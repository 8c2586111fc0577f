// End to end in browser mode for the Draw and Classify views: the real server and engine, the
// built renderer, Debian's Chromium. A model is trained first (one epoch of full MNIST), then
// digits are drawn with mouse strokes and real MNIST test digits are classified from files.
import { chunkSizes } from '../../src/renderer/src/features/classify/classify-batch';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { tempDir } from '../helpers/fixtures';
import { chromiumMissingReason } from './helpers/chromium';
import { openStudio, type StudioSession } from './helpers/studio-session';
import {
  drawClassifyPage,
  encodeBmp,
  encodeGif,
  hugePngHeader,
  mnistTest,
  parseCsv,
} from './helpers/draw-classify-page';

import { studioPage, waitUntil } from './helpers/studio-page';

const missing = chromiumMissingReason();
if (missing) console.warn(`[e2e] draw/classify browser tests skipped: ${missing}`);

const GOOD = 20;

/** Writes the first GOOD MNIST test digits as PNGs named after their label, plus a broken file. */
async function writeDigitFiles(dir: string): Promise<{ files: string[]; labels: number[] }> {
  const mnist = mnistTest();
  const files: string[] = [];
  const labels: number[] = [];
  for (let i = 0; i < GOOD; i++) {
    const png = await tf.node.encodePng(tf.tensor3d(mnist.image(i), [28, 28, 1], 'int32'));
    const file = path.join(dir, `test-${String(i).padStart(2, '0')}-label-${mnist.label(i)}.png`);
    writeFileSync(file, png);
    files.push(file);
    labels.push(mnist.label(i));
  }
  const broken = path.join(dir, 'broken.png');
  writeFileSync(broken, 'this is not an image, whatever its name says\n');
  files.push(broken);
  return { files, labels };
}

/**
 * A large, grainy "scan" (far over the 64 KiB the view reads for the header): dark ink 10× the
 * size of the MNIST digit, off-centre on light paper with noise that PNG and JPEG can't squeeze.
 */
function largeScan(digit: Uint8Array): tf.Tensor3D {
  const width = 800;
  const height = 600;
  const data = new Int32Array(width * height);
  let seed = 7;
  const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 24 - 12;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = Math.floor((x - 450) / 10);
      const dy = Math.floor((y - 200) / 10);
      const ink =
        dx >= 0 && dx < 28 && dy >= 0 && dy < 28 ? (digit[dy * 28 + dx] as number) / 255 : 0;
      data[y * width + x] = Math.max(
        0,
        Math.min(255, Math.round(225 * (1 - ink) + 20 * ink + noise())),
      );
    }
  }
  return tf.tensor3d(data, [height, width, 1], 'int32');
}

/** Encodes gray pixels as WebP in the page (Node has no WebP encoder); returns the bytes. */
async function webpInPage(page: Page, gray: Uint8Array): Promise<Buffer> {
  // A string, not a function: the test transform may add helpers that don't exist in the page.
  const base64 = (await page.evaluate(`(async () => {
    const gray = ${JSON.stringify(Array.from(gray))};
    const rgba = new Uint8ClampedArray(28 * 28 * 4);
    gray.forEach((v, i) => rgba.set([v, v, v, 255], i * 4));
    const canvas = new OffscreenCanvas(28, 28);
    canvas.getContext('2d').putImageData(new ImageData(rgba, 28, 28), 0, 0);
    const blob = await canvas.convertToBlob({ type: 'image/webp', quality: 1 });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let text = '';
    for (const b of bytes) text += String.fromCharCode(b);
    return btoa(text);
  })()`)) as string;
  return Buffer.from(base64, 'base64');
}

describe.skipIf(missing !== null)('Draw and Classify in a browser (browser mode)', () => {
  let studio: StudioSession;
  let page: Page;
  let dir: string;
  let problems: string[] = [];

  beforeAll(async () => {
    studio = await openStudio({ runsDir: tempDir('lenet-e2e-runs-'), acceptDownloads: true });
    ({ page } = studio);
    problems = studio.problems;
    dir = tempDir('lenet-e2e-images-');
  });

  afterAll(async () => {
    await studio?.close();
  });

  it('without a model, says so and points to the Train view', async () => {
    const ui = drawClassifyPage(page);
    await ui.tab('Draw').click();
    await page.getByText('No model yet.').waitFor();
    // The pad works anyway: the 28×28 shows what the network would see.
    await ui.drawOne();
    await ui.networkInput.waitFor();
    expect(await ui.topDigit.count()).toBe(0);
    await page.getByRole('button', { name: 'Go to Train' }).click();
    await studioPage(page).start.waitFor();
  });

  it('trains a model on full MNIST for one epoch', async () => {
    const train = studioPage(page);
    await train.configure({ epochs: 1 });
    await train.start.click();
    await train.waitForStatus('Finished', 180_000);
  }, 240_000);

  it('predicts a drawn 1 and a drawn 0 live, with Undo and Clear', async () => {
    const ui = drawClassifyPage(page);
    await ui.tab('Draw').click();
    await page.getByText('No model yet.').waitFor({ state: 'detached' });
    // The "1" drawn before training is still on the pad (the Draw store keeps it): start afresh.
    await ui.clear.click();
    expect(await ui.clear.isDisabled()).toBe(true);

    const before = await ui.measuredStrokes();
    await ui.drawOne();
    const latency = await ui.waitForStrokes(before + 1);
    expect(latency).toBeGreaterThanOrEqual(0);
    expect(await ui.topPrediction()).toBe(1);
    expect(await ui.topThree.count()).toBe(3);
    expect(await ui.topThree.first().getAttribute('aria-label')).toMatch(/^1: \d+\.\d%$/);

    await ui.undo.click();
    await ui.topDigit.waitFor({ state: 'detached' });
    expect(await ui.undo.isDisabled()).toBe(true);

    await ui.drawZero();
    await ui.waitForStrokes(before + 2);
    expect(await ui.topPrediction()).toBe(0);

    await ui.clear.click();
    await ui.topDigit.waitFor({ state: 'detached' });
    await page.getByText('Draw here').waitFor();
  });

  it('classifies chosen images: the good ones, one error row, and a CSV of all of them', async () => {
    const ui = drawClassifyPage(page);
    const { files, labels } = await writeDigitFiles(dir);
    await ui.tab('Classify').click();
    await ui.filesInput.setInputFiles(files);
    await ui.waitForBatch();

    expect(await ui.results.count()).toBe(GOOD + 1);
    const failed = ui.results.filter({ hasText: 'not an image' });
    expect(await failed.count()).toBe(1);
    expect(await failed.getAttribute('data-path')).toBe('broken.png');
    let correct = 0;
    for (let i = 0; i < GOOD; i++) {
      const predicted = await ui.results.nth(i).getAttribute('data-predicted');
      if (Number(predicted) === labels[i]) correct++;
    }
    expect(correct).toBeGreaterThanOrEqual(GOOD - 1);

    // Filters: the errors alone, then a digit.
    await page.getByRole('button', { name: /^Errors/ }).click();
    expect(await ui.results.count()).toBe(1);
    await page.getByRole('button', { name: 'Digit 7' }).click();
    expect(await ui.results.count()).toBe(labels.filter((l) => l === 7).length);
    await page.getByRole('button', { name: /^All/ }).click();

    const [download] = await Promise.all([page.waitForEvent('download'), ui.exportCsv.click()]);
    expect(download.suggestedFilename()).toMatch(/^lenet-classification-.*\.csv$/);
    const text = readFileSync(await download.path(), 'utf8');
    expect(text.split('\n')[0]).toBe(
      'path,predicted,confidence,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9,error,label,correct,predicted_name,label_name',
    );
    const records = parseCsv(text);
    expect(records).toHaveLength(GOOD + 1);
    const broken = records.find((r) => r.path === 'broken.png');
    expect(broken).toMatchObject({ predicted: '', confidence: '', p0: '' });
    expect(broken?.error).toMatch(/not an image/);
    const good = records.filter((r) => r.path !== 'broken.png');
    expect(good.map((r) => r.path)).toEqual(files.slice(0, GOOD).map((f) => path.basename(f)));
    for (const r of good) {
      const probabilities = Array.from({ length: 10 }, (_, k) => Number(r[`p${k}`]));
      expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
      expect(Number(r.confidence)).toBe(Math.max(...probabilities));
      expect(Number(r.predicted)).toBe(probabilities.indexOf(Number(r.confidence)));
      expect(r.error).toBe('');
    }
    expect(good.filter((r, i) => Number(r.predicted) === labels[i]).length).toBeGreaterThanOrEqual(
      GOOD - 1,
    );
  });

  it('reads every accepted format, and each kind of bad file becomes one error row', async () => {
    const ui = drawClassifyPage(page);
    await page.getByRole('button', { name: 'Clear results' }).click();
    const mnist = mnistTest();
    const sub = path.join(dir, 'formats');
    mkdirSync(sub);
    const digit = (i: number) => tf.tensor3d(mnist.image(i), [28, 28, 1], 'int32');
    const inverted = (i: number) => mnist.image(i).map((v) => 255 - v);
    const good: Array<[string, Buffer | Uint8Array, number]> = [
      ['digit.png', await tf.node.encodePng(digit(0)), mnist.label(0)],
      ['digit.jpg', await tf.node.encodeJpeg(digit(1), 'grayscale', 95), mnist.label(1)],
      ['digit.bmp', encodeBmp(mnist.image(2), 28, 28), mnist.label(2)],
      ['digit.gif', encodeGif(mnist.image(3), 28, 28), mnist.label(3)],
      ['digit.webp', await webpInPage(page, mnist.image(4)), mnist.label(4)],
      ['large-scan.png', await tf.node.encodePng(largeScan(mnist.image(7))), mnist.label(7)],
      [
        'large-scan.jpg',
        await tf.node.encodeJpeg(largeScan(mnist.image(8)), 'grayscale', 92),
        mnist.label(8),
      ],
      [
        'ink-on-paper.png',
        await tf.node.encodePng(tf.tensor3d(inverted(5), [28, 28, 1], 'int32')),
        mnist.label(5),
      ],
    ];
    const png = await tf.node.encodePng(tf.tensor3d(mnist.image(6), [28, 28, 1], 'int32'));
    // A name with no spaces, far wider than a card, and an error of several words.
    const longName = 'scanned-receipt-2024-11-03-office-copier-batch-17-page-0042-of-0100.png';
    const bad: Array<[string, Buffer | Uint8Array, RegExp]> = [
      [longName, hugePngHeader(40_000, 30_000), /exceed the limit of 10000 px/],
      ['empty.png', Buffer.alloc(0), /empty \(0 bytes\)/],
      ['truncated.png', png.subarray(0, Math.floor(png.length / 2)), /corrupt or truncated PNG/],
      ['bomb.png', hugePngHeader(50_000, 50_000), /exceed the limit of 10000 px/],
      ['notes.txt', Buffer.from('not a picture'), /not an image/],
      [
        'blank.png',
        await tf.node.encodePng(tf.zeros([28, 28, 1], 'int32') as tf.Tensor3D),
        /blank/,
      ],
    ];
    for (const [name, bytes] of good.filter(([n]) => n.startsWith('large'))) {
      expect(bytes.length, name).toBeGreaterThan(64 * 1024);
    }
    const files = [...good, ...bad].map(([name, bytes]) => {
      writeFileSync(path.join(sub, name), bytes);
      return path.join(sub, name);
    });
    await ui.filesInput.setInputFiles(files);
    await ui.waitForBatch();
    expect(await ui.results.count()).toBe(good.length + bad.length);
    for (const [name, , label] of good) {
      const row = ui.results.and(page.locator(`[data-path="${name}"]`));
      expect(Number(await row.getAttribute('data-predicted')), name).toBe(label);
    }
    for (const [name, , reason] of bad) {
      const row = ui.results.and(page.locator(`[data-path="${name}"]`));
      expect(await row.getAttribute('aria-label'), name).toMatch(reason);
    }

    // The long name and its error wrap inside the card instead of being cut at its edge, and the
    // whole of both is in the card's tooltip and accessible name.
    const card = ui.results.and(page.locator(`[data-path="${longName}"]`));
    const error = 'dimensions 40000×30000 exceed the limit of 10000 px a side';
    for (const [part, text] of [
      ['.name', longName],
      ['.error-text', error],
    ] as const) {
      const box = await card.locator(part).evaluate((el) => {
        // The node typecheck has no window: its getComputedStyle described structurally.
        const win = globalThis as unknown as {
          getComputedStyle(e: unknown): { lineHeight: string };
        };
        const lineHeight = parseFloat(win.getComputedStyle(el).lineHeight);
        return {
          scrollWidth: el.scrollWidth,
          clientWidth: el.clientWidth,
          lines: Math.round(el.clientHeight / lineHeight),
          text: el.textContent?.trim(),
        };
      });
      expect(box.text, part).toBe(text);
      expect(box.scrollWidth, part).toBeLessThanOrEqual(box.clientWidth);
      expect(box.lines, part).toBeGreaterThan(1);
    }
    expect(await card.getAttribute('title')).toBe(`${longName}\n${error}`);
    expect(await card.getAttribute('aria-label')).toBe(`${longName}: error, ${error}`);
  });

  it('walks a chosen folder recursively, taking only its images', async () => {
    const ui = drawClassifyPage(page);
    await page.getByRole('button', { name: 'Clear results' }).click();
    const mnist = mnistTest();
    const folder = path.join(dir, 'folder');
    mkdirSync(path.join(folder, 'nested/deeper'), { recursive: true });
    const places = ['a.png', 'nested/b.png', 'nested/deeper/c.png'];
    for (const [i, place] of places.entries()) {
      const png = await tf.node.encodePng(tf.tensor3d(mnist.image(i), [28, 28, 1], 'int32'));
      writeFileSync(path.join(folder, place), png);
    }
    writeFileSync(path.join(folder, 'nested/readme.txt'), 'skipped: not an image name');
    await ui.folderInput.setInputFiles(folder);
    await ui.waitForBatch();
    const paths = await ui.results.evaluateAll((items) =>
      items.map((item) => item.getAttribute('data-path')),
    );
    expect(paths.sort()).toEqual(places.map((p) => `folder/${p}`).sort());
  });

  it('replaces the results with a new batch unless told to add, and shows each original', async () => {
    const ui = drawClassifyPage(page);
    await page.getByRole('button', { name: 'Clear results' }).click();
    const mnist = mnistTest();
    const write = async (name: string, i: number) => {
      const file = path.join(dir, name);
      writeFileSync(
        file,
        await tf.node.encodePng(tf.tensor3d(mnist.image(i), [28, 28, 1], 'int32')),
      );
      return file;
    };
    const pathsShown = () =>
      ui.results.evaluateAll((items) => items.map((item) => item.getAttribute('data-path')));

    await ui.filesInput.setInputFiles([
      await write('first-a.png', 20),
      await write('first-b.png', 21),
    ]);
    await ui.waitForBatch();
    expect(await pathsShown()).toEqual(['first-a.png', 'first-b.png']);

    // By default the next batch replaces the results…
    const append = page.getByLabel('Add the next files to these results');
    expect(await append.isChecked()).toBe(false);
    await ui.filesInput.setInputFiles([await write('second.png', 22)]);
    await ui.waitForBatch();
    expect(await pathsShown()).toEqual(['second.png']);

    // …and with the box ticked it adds to them.
    await append.check();
    await ui.filesInput.setInputFiles([await write('third.png', 23)]);
    await ui.waitForBatch();
    expect(await pathsShown()).toEqual(['second.png', 'third.png']);
    await append.uncheck();

    // The card shows the file itself; the 28×28 the network saw comes up on hover.
    const card = ui.results.and(page.locator('[data-path="third.png"]'));
    const original = card.locator('img.original');
    await original.waitFor();
    expect(await original.getAttribute('src')).toMatch(/^blob:/);
    await waitUntil(
      () =>
        original.evaluate((img) => {
          const loaded = img as unknown as { complete: boolean; naturalWidth: number };
          return loaded.complete ? loaded.naturalWidth : 0;
        }),
      (width) => width === 28,
      10_000,
      'the original image loaded',
    );
    const seen = card.locator('img.seen');
    const opacity = () =>
      seen.evaluate((img) => {
        // The page's own window (the test's tsconfig has no DOM types).
        const view = img.ownerDocument.defaultView as unknown as {
          getComputedStyle(element: unknown): { opacity: string };
        };
        return view.getComputedStyle(img).opacity;
      });
    await waitUntil(opacity, (value) => value === '0', 5_000, 'the 28×28 hidden (fading out)');
    await card.getByRole('button', { name: 'Inspect third.png' }).hover();
    await waitUntil(opacity, (value) => value === '1', 5_000, 'the 28×28 shown on hover');
    expect(await card.getAttribute('title')).toBe('third.png');
    expect(problems).toEqual([]);
  });

  it('classifies files dropped onto the window', async () => {
    const ui = drawClassifyPage(page);
    await page.getByRole('button', { name: 'Clear results' }).click();
    const mnist = mnistTest();
    const pngs = await Promise.all(
      [10, 11].map(async (i) =>
        Buffer.from(
          await tf.node.encodePng(tf.tensor3d(mnist.image(i), [28, 28, 1], 'int32')),
        ).toString('base64'),
      ),
    );
    // A DataTransfer built in the page, dropped on the page body (not on any drop zone).
    const transfer = await page.evaluateHandle(`(() => {
      const transfer = new DataTransfer();
      const files = ${JSON.stringify(pngs)};
      files.forEach((b64, i) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        transfer.items.add(new File([bytes], 'dropped-' + i + '.png', { type: 'image/png' }));
      });
      transfer.items.add(new File(['plain text'], 'dropped-notes.png', { type: 'image/png' }));
      return transfer;
    })()`);
    await page.dispatchEvent('body', 'dragenter', { dataTransfer: transfer });
    await page.getByText('Drop to classify').waitFor();
    await page.dispatchEvent('body', 'drop', { dataTransfer: transfer });
    await ui.waitForBatch();
    expect(await page.getByText('Drop to classify').count()).toBe(0);
    expect(await ui.results.count()).toBe(3);
    for (const [i, index] of [10, 11].entries()) {
      const row = ui.results.and(page.locator(`[data-path="dropped-${i}.png"]`));
      expect(Number(await row.getAttribute('data-predicted'))).toBe(mnist.label(index));
    }
    expect(await ui.results.filter({ hasText: 'not an image' }).count()).toBe(1);
  });

  it('shows progress on a large folder and stops on Cancel, keeping what it finished', async () => {
    const ui = drawClassifyPage(page);
    await page.getByRole('button', { name: 'Clear results' }).click();
    const mnist = mnistTest();
    const big = path.join(dir, 'big');
    mkdirSync(big);
    const total = 3000;
    for (let i = 0; i < total; i++) {
      const t = tf.tensor3d(mnist.image(i), [28, 28, 1], 'int32');
      writeFileSync(
        path.join(big, `${String(i).padStart(4, '0')}.png`),
        await tf.node.encodePng(t),
      );
      t.dispose();
    }
    await ui.folderInput.setInputFiles(big);
    await ui.progress.waitFor();
    // While the folder is being listed the bar is indeterminate (no aria-valuemax); the total
    // appears once classifying starts, so wait for that phase instead of reading it at once.
    const max = await waitUntil(
      async () => await ui.progress.getAttribute('aria-valuemax'),
      (value) => value !== null,
      60_000,
      'progress total',
    );
    expect(max).toBe(String(total));
    await waitUntil(
      async () => Number(await ui.progress.getAttribute('aria-valuenow')),
      (done) => done > 0,
      60_000,
      'progress',
    );
    await ui.cancel.click();
    await ui.waitForBatch();
    const message = await page.getByText(/^Cancelled after/).textContent();
    const finished = Number(/after ([\d,]+) of 3,000/.exec(message ?? '')?.[1]?.replace(/,/g, ''));
    expect(finished).toBeGreaterThan(0);
    expect(finished).toBeLessThan(total);
    // Whole chunks only.
    const boundaries = chunkSizes(total).map((_, i, sizes) =>
      sizes.slice(0, i + 1).reduce((a, b) => a + b, 0),
    );
    expect(boundaries).toContain(finished);
    expect(await page.getByText(`${finished.toLocaleString('en-US')} files ·`).count()).toBe(1);
    expect(problems).toEqual([]);
  });
});
