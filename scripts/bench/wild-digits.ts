// "Digits in the wild" made from MNIST test digits: the ways real pictures of digits differ from
// MNIST's centred white-on-black 28×28. Each digit is enlarged (bilinear) and dropped somewhere
// on a larger canvas, then one of five treatments:
//   off-centre    white ink on black, anywhere on a 64–320 px canvas (PNG, gray)
//   ink-on-paper  black ink on white paper with grain (PNG, gray)
//   colour        coloured ink on coloured paper with grain (PNG, RGB)
//   transparent   black ink on a transparent background (PNG, RGBA: alpha carries the digit)
//   jpeg          ink on paper or colour on colour, JPEG quality 60–90
// Seeded, so every bench run classifies the same set.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-node';
import { createRng, type Rng } from '../../src/shared/random';
import type { MnistTest } from '../../test/e2e/helpers/draw-classify-page';

export const WILD_VARIANTS = [
  'off-centre',
  'ink-on-paper',
  'colour',
  'transparent',
  'jpeg',
] as const;
export type WildVariant = (typeof WILD_VARIANTS)[number];

export interface WildDigit {
  file: string;
  label: number;
  variant: WildVariant;
}

type Rgb = [number, number, number];
const INKS: Rgb[] = [
  [20, 40, 140], // blue ballpoint
  [150, 20, 30], // red
  [20, 90, 40], // green
  [70, 30, 110], // purple
  [40, 40, 40], // pencil gray
];
const PAPERS: Rgb[] = [
  [250, 240, 170], // yellow sticky note
  [250, 215, 225], // pink
  [205, 240, 215], // mint
  [210, 228, 250], // light blue
  [238, 232, 220], // recycled
];

/** Bilinear enlargement of a 28×28 digit to size×size, values 0..1. */
function enlarge(digit: Uint8Array, size: number): Float32Array {
  const out = new Float32Array(size * size);
  const s = 28 / size;
  const at = (x: number, y: number) =>
    x < 0 || y < 0 || x > 27 || y > 27 ? 0 : (digit[y * 28 + x] as number) / 255;
  for (let y = 0; y < size; y++) {
    const fy = (y + 0.5) * s - 0.5;
    const y0 = Math.floor(fy);
    const wy = fy - y0;
    for (let x = 0; x < size; x++) {
      const fx = (x + 0.5) * s - 0.5;
      const x0 = Math.floor(fx);
      const wx = fx - x0;
      out[y * size + x] =
        at(x0, y0) * (1 - wx) * (1 - wy) +
        at(x0 + 1, y0) * wx * (1 - wy) +
        at(x0, y0 + 1) * (1 - wx) * wy +
        at(x0 + 1, y0 + 1) * wx * wy;
    }
  }
  return out;
}

const pick = <T>(rng: Rng, items: readonly T[]): T =>
  items[Math.floor(rng.next() * items.length)] as T;
const between = (rng: Rng, lo: number, hi: number) => lo + rng.next() * (hi - lo);
const clamp255 = (v: number) => Math.max(0, Math.min(255, Math.round(v)));

/** The ink coverage (0..1) of a canvas with the enlarged digit placed at random. */
function placeDigit(rng: Rng, digit: Uint8Array) {
  const size = Math.round(28 * between(rng, 2, 5));
  const width = Math.max(size, Math.round(between(rng, 64, 320)));
  const height = Math.max(size, Math.round(between(rng, 64, 320)));
  const left = Math.floor(rng.next() * (width - size + 1));
  const top = Math.floor(rng.next() * (height - size + 1));
  const big = enlarge(digit, size);
  const ink = new Float32Array(width * height);
  for (let y = 0; y < size; y++)
    ink.set(big.subarray(y * size, (y + 1) * size), (top + y) * width + left);
  return { width, height, ink };
}

function paint(
  rng: Rng,
  ink: Float32Array,
  channels: 1 | 3,
  inkColour: Rgb,
  paper: Rgb,
  grain: number,
): Int32Array {
  const out = new Int32Array(ink.length * channels);
  for (let i = 0; i < ink.length; i++) {
    const a = ink[i] as number;
    const noise = grain > 0 ? (rng.next() * 2 - 1) * grain : 0;
    for (let c = 0; c < channels; c++) {
      out[i * channels + c] = clamp255(
        (paper[c] as number) * (1 - a) + (inkColour[c] as number) * a + noise,
      );
    }
  }
  return out;
}

async function encode(variant: WildVariant, rng: Rng, digit: Uint8Array): Promise<Uint8Array> {
  const { width, height, ink } = placeDigit(rng, digit);
  const png = async (data: Int32Array, channels: number) => {
    const t = tf.tensor3d(data, [height, width, channels], 'int32');
    try {
      return await tf.node.encodePng(t);
    } finally {
      t.dispose();
    }
  };
  switch (variant) {
    case 'off-centre':
      return png(paint(rng, ink, 1, [255, 255, 255], [0, 0, 0], 0), 1);
    case 'ink-on-paper':
      return png(paint(rng, ink, 1, [15, 15, 15], [245, 245, 245], 6), 1);
    case 'colour':
      return png(paint(rng, ink, 3, pick(rng, INKS), pick(rng, PAPERS), 6), 3);
    case 'transparent': {
      const rgba = new Int32Array(ink.length * 4);
      for (let i = 0; i < ink.length; i++) {
        rgba.set([0, 0, 0, clamp255((ink[i] as number) * 255)], i * 4);
      }
      return png(rgba, 4);
    }
    case 'jpeg': {
      const colour = rng.next() < 0.5;
      const data = colour
        ? paint(rng, ink, 3, pick(rng, INKS), pick(rng, PAPERS), 4)
        : paint(rng, ink, 3, [15, 15, 15], [245, 245, 245], 4);
      const t = tf.tensor3d(data, [height, width, 3], 'int32');
      try {
        return await tf.node.encodeJpeg(t, 'rgb', Math.round(between(rng, 60, 90)));
      } finally {
        t.dispose();
      }
    }
  }
}

/** Writes `count` wild digits (test digits 0..count-1, variants in turn) under `dir`. */
export async function writeWildDigits(
  dir: string,
  mnist: MnistTest,
  count: number,
  seed = 1998,
): Promise<WildDigit[]> {
  const rng = createRng(seed);
  for (const v of WILD_VARIANTS) mkdirSync(path.join(dir, v), { recursive: true });
  const digits: WildDigit[] = [];
  for (let i = 0; i < Math.min(count, mnist.count); i++) {
    const variant = WILD_VARIANTS[i % WILD_VARIANTS.length] as WildVariant;
    const label = mnist.label(i);
    const ext = variant === 'jpeg' ? 'jpg' : 'png';
    const file = path.join(dir, variant, `${String(i).padStart(5, '0')}-label-${label}.${ext}`);
    writeFileSync(file, await encode(variant, rng, mnist.image(i)));
    digits.push({ file, label, variant });
  }
  return digits;
}

/** The plain set: MNIST test digits as 28×28 gray PNGs, exactly as in the IDX file. */
export async function writePlainDigits(
  dir: string,
  mnist: MnistTest,
  count: number,
): Promise<Array<{ file: string; label: number }>> {
  mkdirSync(dir, { recursive: true });
  const out: Array<{ file: string; label: number }> = [];
  for (let i = 0; i < Math.min(count, mnist.count); i++) {
    const t = tf.tensor3d(mnist.image(i), [28, 28, 1], 'int32');
    const file = path.join(dir, `${String(i).padStart(5, '0')}-label-${mnist.label(i)}.png`);
    writeFileSync(file, await tf.node.encodePng(t));
    t.dispose();
    out.push({ file, label: mnist.label(i) });
  }
  return out;
}
