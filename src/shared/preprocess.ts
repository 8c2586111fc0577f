// MNIST-faithful preprocessing, the one implementation used for drawn digits, dropped images and
// the CLI. MNIST digits were size-normalised into a 20×20 box (aspect kept, anti-aliased) and
// centred by centre of mass in 28×28, white ink on black. We repeat those steps:
// grayscale → polarity → crop to ink → area-average to 20 px → centre of mass → [0,1].
import { MNIST_SIDE } from './mnist-shape';

export interface RawImage {
  width: number;
  height: number;
  /** 1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA) interleaved bytes per pixel. */
  channels: 1 | 2 | 3 | 4;
  data: Uint8Array | Uint8ClampedArray;
}

export interface GrayImage {
  width: number;
  height: number;
  /** Ink intensity 0..255 per pixel, row-major. */
  data: Float32Array;
}

export interface Preprocessed {
  /** 28×28 row-major, white ink on black, values in [0,1]. */
  pixels: Float32Array;
  /** Non-fatal observations worth showing the user (e.g. very low contrast). */
  warnings: string[];
}

/** The side of the image the network sees (kept under this name for the preprocessing steps). */
export const MNIST_SIZE = MNIST_SIDE;
export const MNIST_BOX = 20;
/** Ink below this fraction of the strongest ink is noise for the bounding box. */
const NOISE_FRACTION = 0.2;
/** Ink/background contrast (0..255) under which we warn. */
const LOW_CONTRAST = 40;

/** Luminance with alpha composited onto a background that contrasts with the opaque pixels. */
export function toGrayscale(img: RawImage): GrayImage {
  const { width, height, channels, data } = img;
  const n = width * height;
  if (data.length < n * channels) {
    throw new Error(
      `image data holds ${data.length} bytes, ${width}×${height}×${channels} needs ${n * channels}`,
    );
  }
  const lum = new Float32Array(n);
  const alpha = new Float32Array(n);
  let opaqueSum = 0;
  let opaqueWeight = 0;
  for (let i = 0; i < n; i++) {
    const o = i * channels;
    let l: number;
    let a = 1;
    if (channels <= 2) {
      l = data[o] as number;
      if (channels === 2) a = (data[o + 1] as number) / 255;
    } else {
      l =
        0.299 * (data[o] as number) +
        0.587 * (data[o + 1] as number) +
        0.114 * (data[o + 2] as number);
      if (channels === 4) a = (data[o + 3] as number) / 255;
    }
    lum[i] = l;
    alpha[i] = a;
    opaqueSum += l * a;
    opaqueWeight += a;
  }
  // Transparent areas are "paper": white under dark strokes, black under light ones.
  const background = opaqueWeight > 0 && opaqueSum / opaqueWeight > 127.5 ? 0 : 255;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = alpha[i] as number;
    out[i] = (lum[i] as number) * a + background * (1 - a);
  }
  return { width, height, data: out };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * Makes ink bright on a dark background. The border's median is the paper; the ink is what
 * departs from it, and whichever way it departs more (darker or lighter) decides the polarity,
 * so mid-grey paper works too. The paper level is subtracted, so grey paper becomes black.
 */
export function normalisePolarity(img: GrayImage): {
  image: GrayImage;
  inverted: boolean;
  background: number;
} {
  const { width: w, height: h, data } = img;
  const border: number[] = [];
  for (let x = 0; x < w; x++) border.push(data[x] as number, data[(h - 1) * w + x] as number);
  for (let y = 0; y < h; y++) border.push(data[y * w] as number, data[y * w + w - 1] as number);
  const bg = median(border);
  let lighter = 0;
  let darker = 0;
  for (const v of data) {
    if (v > bg) lighter += v - bg;
    else darker += bg - v;
  }
  const inverted = darker > lighter;
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    out[i] = Math.max(0, inverted ? bg - v : v - bg);
  }
  return { image: { width: w, height: h, data: out }, inverted, background: bg };
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Bounding box of the ink, ignoring faint noise; null when there is no ink at all. */
export function inkBoundingBox(img: GrayImage): Box | null {
  let max = 0;
  for (const v of img.data) if (v > max) max = v;
  if (max <= 0) return null;
  const threshold = max * NOISE_FRACTION;
  let x0 = img.width;
  let y0 = img.height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if ((img.data[y * img.width + x] as number) >= threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

export function crop(img: GrayImage, box: Box): GrayImage {
  const out = new Float32Array(box.width * box.height);
  for (let y = 0; y < box.height; y++) {
    const row = (box.y + y) * img.width + box.x;
    out.set(img.data.subarray(row, row + box.width), y * box.width);
  }
  return { width: box.width, height: box.height, data: out };
}

/**
 * Resamples by area averaging: each output pixel is the mean of the input area it covers,
 * with fractional coverage at the edges. Exact for down-scaling (anti-aliased like MNIST),
 * and a box interpolation when scaling up.
 */
export function resizeArea(img: GrayImage, width: number, height: number): GrayImage {
  const sx = img.width / width;
  const sy = img.height / height;
  const out = new Float32Array(width * height);
  for (let oy = 0; oy < height; oy++) {
    const ya = oy * sy;
    const yb = ya + sy;
    for (let ox = 0; ox < width; ox++) {
      const xa = ox * sx;
      const xb = xa + sx;
      let sum = 0;
      for (let iy = Math.floor(ya); iy < Math.min(Math.ceil(yb), img.height); iy++) {
        const wy = Math.min(yb, iy + 1) - Math.max(ya, iy);
        if (wy <= 0) continue;
        for (let ix = Math.floor(xa); ix < Math.min(Math.ceil(xb), img.width); ix++) {
          const wx = Math.min(xb, ix + 1) - Math.max(xa, ix);
          if (wx > 0) sum += (img.data[iy * img.width + ix] as number) * wx * wy;
        }
      }
      out[oy * width + ox] = sum / (sx * sy);
    }
  }
  return { width, height, data: out };
}

/** Scales so that the long side is `box` px (aspect kept, short side at least 1 px). */
export function fitLongSide(img: GrayImage, box = MNIST_BOX): GrayImage {
  const scale = box / Math.max(img.width, img.height);
  const w = Math.max(1, Math.round(img.width * scale));
  const h = Math.max(1, Math.round(img.height * scale));
  return resizeArea(img, w, h);
}

export function centreOfMass(img: GrayImage): { x: number; y: number } {
  let total = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const v = img.data[y * img.width + x] as number;
      total += v;
      sx += v * (x + 0.5);
      sy += v * (y + 0.5);
    }
  }
  return total > 0 ? { x: sx / total, y: sy / total } : { x: img.width / 2, y: img.height / 2 };
}

/** Places the digit in 28×28 so its centre of mass sits at the centre (kept inside the frame). */
export function placeByCentreOfMass(img: GrayImage, size = MNIST_SIZE): GrayImage {
  const com = centreOfMass(img);
  const clamp = (v: number, hi: number) => Math.min(Math.max(v, 0), hi);
  const left = clamp(Math.round(size / 2 - com.x), size - img.width);
  const top = clamp(Math.round(size / 2 - com.y), size - img.height);
  const out = new Float32Array(size * size);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      out[(top + y) * size + left + x] = img.data[y * img.width + x] as number;
    }
  }
  return { width: size, height: size, data: out };
}

/** The whole pipeline. Throws when the image holds no ink at all. */
export function preprocess(raw: RawImage): Preprocessed {
  if (raw.width < 1 || raw.height < 1) throw new Error('image has no pixels');
  const warnings: string[] = [];
  const { image } = normalisePolarity(toGrayscale(raw));
  const box = inkBoundingBox(image);
  if (!box) throw new Error('image is blank (no ink found)');
  const cropped = crop(image, box);
  let max = 0;
  for (const v of cropped.data) if (v > max) max = v;
  if (max < LOW_CONTRAST) warnings.push('very low contrast');
  // Stretch contrast so the strongest ink is full white, as in MNIST's strokes.
  for (let i = 0; i < cropped.data.length; i++) cropped.data[i] = (cropped.data[i] as number) / max;
  const placed = placeByCentreOfMass(fitLongSide(cropped));
  const pixels = new Float32Array(MNIST_SIZE * MNIST_SIZE);
  for (let i = 0; i < pixels.length; i++)
    pixels[i] = Math.min(1, Math.max(0, placed.data[i] as number));
  return { pixels, warnings };
}

/**
 * The 28×28 grey bytes of the network's input (0 black … 255 white ink), what the Classify
 * view keeps per file as its thumbnail (made by the engine or the page's decoder): 784 bytes instead of a PNG data URL, which cost the
 * decode workers a PNG encode per file (a third of their time, measured) and the page an
 * image decode per card.
 */
export function pixelsToGrey(pixels: Float32Array): Uint8Array<ArrayBuffer> {
  const grey = new Uint8Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) grey[i] = Math.round((pixels[i] as number) * 255);
  return grey;
}
