// A preview grid of augmented training samples: row r shows sample r undistorted, then
// `variants` distortions of it as training would draw them (seeded), as one grayscale image
// (Uint8Array, row-major, 0 background … 255 ink) — the payload for the Train view's preview.
// The engine's `distortion-preview` request (previewSplit) draws it from a dataset split.
import * as tf from '@tensorflow/tfjs-node';
import { batchSeed, type DistortionStrengths } from '../shared/distortion-matrices';
import type { DistortionPreview } from '../shared/engine-protocol';
import type { Split } from './dataset-files';
import { distortBatch } from './distortions';

export interface PreviewGrid {
  width: number;
  height: number;
  /** rows × (variants + 1) tiles of side × side pixels, 1 pixel of gap between tiles. */
  pixels: Uint8Array<ArrayBuffer>;
}

export function distortionPreview(
  images: tf.Tensor4D,
  strengths: DistortionStrengths,
  options: { rows: number; variants: number; seed: number },
): PreviewGrid {
  const { rows, variants, seed } = options;
  const side = images.shape[1] as number;
  const count = Math.min(rows, images.shape[0] as number);
  const columns = tf.tidy(() => {
    const originals = images.slice([0, 0, 0, 0], [count, side, side, 1]);
    const all = [originals];
    for (let v = 0; v < variants; v++) {
      all.push(distortBatch(originals, strengths, batchSeed(seed, -1, v)));
    }
    return all;
  });
  // Read after the tidy, which would walk returned arrays index by index (tensor-values.ts).
  const tiles = columns.map((c) => c.dataSync() as Float32Array);
  tf.dispose(columns);
  const cols = variants + 1;
  const width = cols * side + (cols - 1);
  const height = count * side + (count - 1);
  const pixels = new Uint8Array(width * height);
  tiles.forEach((tile, c) => {
    for (let r = 0; r < count; r++) {
      for (let y = 0; y < side; y++) {
        for (let x = 0; x < side; x++) {
          const v = tile[(r * side + y) * side + x]!;
          const px = c * (side + 1) + x;
          const py = r * (side + 1) + y;
          pixels[py * width + px] = Math.round(255 * Math.min(1, Math.max(0, v)));
        }
      }
    }
  });
  return { width, height, pixels };
}

/** The preview of a split's first `rows` samples: the grid, its tile side and the rows' labels. */
export function previewSplit(
  split: Split,
  strengths: DistortionStrengths,
  options: { rows: number; variants: number; seed: number },
): DistortionPreview {
  const side = 28;
  const count = Math.min(options.rows, split.count);
  if (count === 0) throw new Error('the dataset has no training samples to preview');
  const images = tf.tidy(() =>
    tf
      .tensor4d(split.images.subarray(0, count * side * side), [count, side, side, 1], 'int32')
      .toFloat()
      .div(255),
  ) as tf.Tensor4D;
  try {
    const grid = distortionPreview(images, strengths, { ...options, rows: count });
    return { ...grid, side, labels: Int32Array.from(split.labels.subarray(0, count)) };
  } finally {
    images.dispose();
  }
}
