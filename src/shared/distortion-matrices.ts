// Random planar affine distortions of training images (LeCun et al. 1998, §III-C: horizontal
// and vertical translations, scaling, squeezing — simultaneous horizontal compression and
// vertical elongation, or the reverse — and horizontal shearing), as the 8-entry projective
// transforms of TensorFlow's ImageProjectiveTransform: each maps an output pixel (x, y) to the
// input point ((a0·x + a1·y + a2), (b0·x + b1·y + b2)) it samples. Pure: no tfjs.
import { createRng } from './random';

export interface DistortionStrengths {
  /** Largest shift, in pixels, each way. */
  translate: number;
  /** Largest relative change of size (0.1: 90%–110%). */
  scale: number;
  /** Largest relative squeeze (width × (1+s), height ÷ (1+s), s in ±squeeze). */
  squeeze: number;
  /** Largest horizontal shear (x += shear·(y − centre)). */
  shear: number;
}

export const NO_DISTORTIONS: DistortionStrengths = { translate: 0, scale: 0, squeeze: 0, shear: 0 };

export const hasDistortions = (d: DistortionStrengths): boolean =>
  d.translate > 0 || d.scale > 0 || d.squeeze > 0 || d.shear > 0;

/**
 * The generator's seed for one batch: a function of the run's seed, the pass and the batch, so
 * the same run draws the same distortions (and a resumed one too) without keeping state.
 */
export function batchSeed(seed: number, epoch: number, batch: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const v of [epoch, batch]) {
    h = Math.imul(h ^ v, 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
  }
  return h;
}

/** n transforms [n × 8] for images of side × side pixels, one draw per sample. */
export function distortionMatrices(
  n: number,
  side: number,
  strengths: DistortionStrengths,
  seed: number,
): Float32Array {
  const rng = createRng(seed);
  const uniform = (limit: number) => (2 * rng.next() - 1) * limit;
  const c = (side - 1) / 2;
  const out = new Float32Array(n * 8);
  for (let i = 0; i < n; i++) {
    const size = 1 + uniform(strengths.scale);
    const squeeze = 1 + uniform(strengths.squeeze);
    const shear = uniform(strengths.shear);
    const tx = uniform(strengths.translate);
    const ty = uniform(strengths.translate);
    // Forward map of the digit: p' = A·(p − c) + c + t with A = [[size·squeeze, shear·size],
    // [0, size/squeeze]]; the op needs its inverse (output pixel → input point).
    const a = size * squeeze;
    const b = shear * size;
    const d = size / squeeze;
    // A⁻¹ = [[1/a, −b/(a·d)], [0, 1/d]]
    const i00 = 1 / a;
    const i01 = -b / (a * d);
    const i11 = 1 / d;
    // q = A⁻¹·(p − c − t) + c
    const ox = c + tx;
    const oy = c + ty;
    out.set([i00, i01, c - i00 * ox - i01 * oy, 0, i11, c - i11 * oy, 0, 0], i * 8);
  }
  return out;
}
