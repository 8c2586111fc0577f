// The learning-rate range test ("LR finder", Smith 2017; fastai's lr_find): a throwaway copy of
// the model trains for a short sweep while the rate grows exponentially, and the loss against
// the rate shows where training makes progress fastest. The arithmetic of it, pure: the rates
// of the sweep, the smoothing of the loss, when the sweep has diverged, and the suggestion.

/** Defaults of the sweep: 100 batches from 1e-5 to 1, as fastai's lr_find. */
export const LR_RANGE_DEFAULTS = { batches: 100, minLr: 1e-5, maxLr: 1 } as const;

/** Weight of the past in the loss's moving average (about ten batches' memory). */
export const LR_RANGE_SMOOTHING = 0.9;

/** The sweep stops once the smoothed loss exceeds this many times its lowest value. */
export const LR_RANGE_DIVERGED = 4;

/** The leading share of the sweep whose slope is not trusted (the average still settling). */
const SKIP_START = 0.1;

export interface LrPoint {
  lr: number;
  /** The batch's own loss. */
  loss: number;
  /** Bias-corrected exponential moving average of the losses so far. */
  smoothed: number;
}

/** Rate of batch `i` of `n`: from `min` at the first to `max` at the last, evenly in log. */
export function sweepRate(i: number, n: number, min: number, max: number): number {
  if (n <= 1) return min;
  return min * (max / min) ** (i / (n - 1));
}

/** Smooths losses as they come: bias-corrected, so the first values are not pulled to 0. */
export function createLossSmoother(beta = LR_RANGE_SMOOTHING): (loss: number) => number {
  let average = 0;
  let count = 0;
  return (loss) => {
    count++;
    average = beta * average + (1 - beta) * loss;
    return average / (1 - beta ** count);
  };
}

/** True once the loss is no number any more, or the smoothed loss has blown up. */
export function hasDiverged(smoothed: number, lowest: number): boolean {
  return !Number.isFinite(smoothed) || (lowest > 0 && smoothed > LR_RANGE_DIVERGED * lowest);
}

export interface LrSuggestion {
  /** The rate suggested: where the smoothed loss falls fastest (per decade of rate). */
  suggested: number;
  /** The rate at the lowest smoothed loss; a tenth of it is the classic rule of thumb. */
  minLossLr: number;
  /** How the suggestion was found. */
  rule: 'steepest' | 'min/10';
}

/**
 * The steepest descent of the smoothed loss (against log rate) before its minimum, skipping the
 * sweep's first tenth; where there is no descent to measure (the minimum comes too early), a
 * tenth of the rate at the minimum. Null for a sweep of fewer than three points.
 */
export function suggestLearningRate(points: readonly LrPoint[]): LrSuggestion | null {
  if (points.length < 3) return null;
  let lowest = 0;
  points.forEach((p, i) => {
    if (p.smoothed < (points[lowest] as LrPoint).smoothed) lowest = i;
  });
  const minLossLr = (points[lowest] as LrPoint).lr;
  const first = points[0] as LrPoint;
  const fallback: LrSuggestion = {
    suggested: Math.max(first.lr, minLossLr / 10),
    minLossLr,
    rule: 'min/10',
  };
  const start = Math.max(1, Math.floor(points.length * SKIP_START));
  let steepest: { slope: number; lr: number } | null = null;
  for (let i = start; i < lowest; i++) {
    const before = points[i - 1] as LrPoint;
    const after = points[i + 1] as LrPoint;
    const slope = (after.smoothed - before.smoothed) / Math.log10(after.lr / before.lr);
    if (slope < 0 && (steepest === null || slope < steepest.slope))
      steepest = { slope, lr: (points[i] as LrPoint).lr };
  }
  return steepest ? { suggested: steepest.lr, minLossLr, rule: 'steepest' } : fallback;
}
