// Random affine distortions: reproducible by seed, the digit kept inside the frame, each sample
// kept with its label (same order, recognisably the same digit), identity at zero strength.
import * as tf from '@tensorflow/tfjs-node';
import { describe, expect, it } from 'vitest';
import { distortBatch } from '../../src/engine/distortions';
import {
  batchSeed,
  distortionMatrices,
  NO_DISTORTIONS,
  type DistortionStrengths,
} from '../../src/shared/distortion-matrices';
import { MNIST_INPUT_SHAPE } from '../../src/shared/mnist-shape';
import { mnistSubset } from '../helpers/fixtures';

const N = 200;
const digits = mnistSubset(N, 5);
const images = () =>
  tf.tensor4d(
    Float32Array.from(digits.trainImages, (v) => v / 255),
    [N, ...MNIST_INPUT_SHAPE],
  );
/** The strengths `npm run reproduce` uses for its distortion rows. */
const STRENGTHS: DistortionStrengths = { translate: 2, scale: 0.1, squeeze: 0.1, shear: 0.15 };

describe('distortions', () => {
  it('the same seed draws the same distortions; another seed others', () => {
    const x = images();
    const a = distortBatch(x, STRENGTHS, batchSeed(42, 0, 0));
    const b = distortBatch(x, STRENGTHS, batchSeed(42, 0, 0));
    const c = distortBatch(x, STRENGTHS, batchSeed(42, 0, 1));
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(a.sub(c).abs().max().dataSync()[0]).toBeGreaterThan(0.5);
    expect(batchSeed(42, 3, 7)).toBe(batchSeed(42, 3, 7));
    expect(batchSeed(42, 3, 7)).not.toBe(batchSeed(43, 3, 7));
    tf.dispose([x, a, b, c]);
  });

  it('is the identity at zero strength', () => {
    const x = images();
    const y = distortBatch(x, NO_DISTORTIONS, 1);
    expect(y.sub(x).abs().max().dataSync()[0]).toBeLessThan(1e-6);
    tf.dispose([x, y]);
  });

  it('keeps the digit inside the frame (no ink lost at the border)', () => {
    const x = images();
    const y = distortBatch(x, STRENGTHS, 7);
    const ink = (t: tf.Tensor4D) => t.sum([1, 2, 3]).arraySync() as number[];
    const border = tf.tidy(() => {
      const inner = tf.pad(tf.ones([1, 26, 26, 1]), [
        [0, 0],
        [1, 1],
        [1, 1],
        [0, 0],
      ]);
      return y.mul(tf.scalar(1).sub(inner)).sum().dataSync()[0]!;
    });
    const before = ink(x);
    const after = ink(y);
    // Ink scales with the area (±10% per side, squeeze keeps it): within 0.75–1.3×.
    after.forEach((v, i) => {
      expect(v / before[i]!).toBeGreaterThan(0.75);
      expect(v / before[i]!).toBeLessThan(1.3);
    });
    // Under 1% of all ink on the outermost pixels (some MNIST digits reach them undistorted).
    expect(border / after.reduce((s, v) => s + v, 0)).toBeLessThan(1e-2);
    tf.dispose([x, y]);
  });

  it('keeps every sample in its place, so with its label', () => {
    const x = images();
    const seed = 11;
    const y = distortBatch(x, STRENGTHS, seed);
    const m = distortionMatrices(N, 28, STRENGTHS, seed);
    /** Centre of ink mass (x, y) of each image. */
    const centres = (t: tf.Tensor4D) =>
      tf.tidy(() => {
        const ink = t.reshape([N, 28, 28]);
        const total = ink.sum([1, 2]);
        const idx = tf.range(0, 28);
        const cx = ink
          .mul(idx.reshape([1, 1, 28]))
          .sum([1, 2])
          .div(total);
        const cy = ink
          .mul(idx.reshape([1, 28, 1]))
          .sum([1, 2])
          .div(total);
        return [cx.arraySync() as number[], cy.arraySync() as number[]];
      });
    const [x0, y0] = centres(x);
    const [x1, y1] = centres(y);
    // Sample i's own transform carries its original centre to its distorted image's centre:
    // the output at p samples the input at M·p + m, so the centre maps by the inverse.
    let worst = 0;
    for (let i = 0; i < N; i++) {
      const [a0, a1, a2, b0, b1, b2] = Array.from(m.subarray(i * 8, i * 8 + 6));
      const det = a0! * b1! - a1! * b0!;
      const qx = x0![i]! - a2!;
      const qy = y0![i]! - b2!;
      const px = (b1! * qx - a1! * qy) / det;
      const py = (-b0! * qx + a0! * qy) / det;
      worst = Math.max(worst, Math.hypot(px - x1![i]!, py - y1![i]!));
    }
    expect(worst).toBeLessThan(0.75);
    tf.dispose([x, y]);
  });

  it('draws per sample: every transform in the batch differs', () => {
    const m = distortionMatrices(4, 28, STRENGTHS, 3);
    const rows = [0, 1, 2, 3].map((i) => Array.from(m.subarray(i * 8, i * 8 + 8)).join());
    expect(new Set(rows).size).toBe(4);
  });
});

describe('distortion preview grid', () => {
  it('shows each sample, then its seeded distortions, as one grayscale image', async () => {
    const { distortionPreview } = await import('../../src/engine/distortion-preview');
    const x = images();
    const grid = distortionPreview(x, STRENGTHS, { rows: 3, variants: 4, seed: 9 });
    expect(grid.width).toBe(5 * 28 + 4);
    expect(grid.height).toBe(3 * 28 + 2);
    expect(grid.pixels).toHaveLength(grid.width * grid.height);
    // The first tile is the undistorted digit.
    const first = Array.from({ length: 28 }, (_, y) =>
      Array.from(grid.pixels.subarray(y * grid.width, y * grid.width + 28)),
    ).flat();
    expect(first).toEqual(Array.from(digits.trainImages.subarray(0, 784)));
    // Reproducible by seed; another seed draws others.
    const again = distortionPreview(x, STRENGTHS, { rows: 3, variants: 4, seed: 9 });
    const other = distortionPreview(x, STRENGTHS, { rows: 3, variants: 4, seed: 10 });
    expect(again.pixels).toEqual(grid.pixels);
    expect(other.pixels).not.toEqual(grid.pixels);
    x.dispose();
  });
});
