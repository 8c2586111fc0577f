// Curve smoothing as TensorBoard's scalar charts do it: an exponential moving average whose
// zero start is corrected for (debiased), so the first points are not dragged towards 0. With
// weight w, s_k = w·s_{k−1} + (1−w)·y_k from s_0 = 0, shown as s_k / (1 − w^k). Like TensorBoard,
// a constant series and non-finite values are passed through, and x spacing is not weighed. Pure.
import type { Point } from './decimated-series';

/** TensorBoard's slider: 0 (raw) to 0.99, 0.6 by default. */
export const SMOOTHING_MIN = 0;
export const SMOOTHING_MAX = 0.99;
export const SMOOTHING_DEFAULT = 0.6;

/** A weight within the slider's range (anything else, NaN included, becomes the nearest). */
export function clampSmoothing(weight: number): number {
  if (!Number.isFinite(weight)) return SMOOTHING_DEFAULT;
  return Math.min(SMOOTHING_MAX, Math.max(SMOOTHING_MIN, weight));
}

export function smoothPoints(points: readonly Point[], weight: number): Point[] {
  const w = clampSmoothing(weight);
  const first = points[0];
  const constant = first !== undefined && points.every((p) => p.y === first.y);
  let last = 0;
  let accumulated = 0;
  return points.map(({ x, y }) => {
    if (constant || !Number.isFinite(y)) return { x, y };
    last = last * w + (1 - w) * y;
    accumulated++;
    return { x, y: last / (1 - w ** accumulated) };
  });
}
