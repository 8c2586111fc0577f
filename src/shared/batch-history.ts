// A run's batch history (batches.jsonl): what a resumed run's replayed batches leave, how a long
// history is thinned to a bounded series, and the per-span means a chart draws. Each point holds
// running means over its epoch so far and the samples they cover, so the mean over the span
// between two points of one epoch is exact: (mean_b·seen_b − mean_a·seen_a) / (seen_b − seen_a).
// Thinning therefore only drops points; the spans between the points kept stay exact. Pure.
import type { BatchPoint } from './run-record';

/** What a chart plots for one point: the means over the span since the previous point. */
export interface BatchSpan {
  /** Epochs completed at this batch (fractional): on the same axis as per-epoch points. */
  x: number;
  loss: number;
  accuracy: number;
}

/**
 * The history as it stands, from the points in file order. A resumed run repeats the batches
 * between its last checkpoint and the crash; a point at or before an earlier point's step
 * replaces everything from that step on, so the later attempt wins (as in metrics.jsonl).
 */
export function latestBatches(points: readonly BatchPoint[]): BatchPoint[] {
  const out: BatchPoint[] = [];
  for (const point of points) {
    while (out.length > 0 && (out[out.length - 1] as BatchPoint).step >= point.step) out.pop();
    out.push(point);
  }
  return out;
}

/** Picks `count` of `n` indices spread evenly, the last one always among them. */
function spread(n: number, count: number): number[] {
  const picked: number[] = [];
  for (let k = 1; k <= count; k++) picked.push(Math.ceil((k * n) / count) - 1);
  return picked;
}

/**
 * At most `limit` points of a history (ordered by step). Every epoch's last point is kept while
 * they fit (the curve then reaches the end of each epoch); the rest are spread evenly over what
 * remains. A history within the limit is returned as it is.
 */
export function thinBatches(points: readonly BatchPoint[], limit: number): BatchPoint[] {
  if (!Number.isInteger(limit) || limit < 1) throw new Error('limit must be a positive integer');
  if (points.length <= limit) return [...points];
  const isEnd = (i: number) => i === points.length - 1 || points[i + 1]!.epoch !== points[i]!.epoch;
  const ends: number[] = [];
  const others: number[] = [];
  points.forEach((_, i) => (isEnd(i) ? ends : others).push(i));
  if (ends.length >= limit) return spread(ends.length, limit).map((k) => points[ends[k]!]!);
  const kept = new Set([
    ...ends,
    ...spread(others.length, limit - ends.length).map((k) => others[k]!),
  ]);
  return points.filter((_, i) => kept.has(i));
}

/**
 * The mean loss and accuracy over each span between consecutive points (the first point of an
 * epoch: since the epoch began). Where rounding makes a span's mean impossible (a negative
 * loss), the running mean stands in.
 */
export function batchSpans(points: readonly BatchPoint[]): BatchSpan[] {
  const spans: BatchSpan[] = [];
  let previous: BatchPoint | null = null;
  for (const p of points) {
    let loss = p.loss;
    let accuracy = p.accuracy;
    if (previous && previous.epoch === p.epoch && previous.seen < p.seen) {
      const n = p.seen - previous.seen;
      const spanLoss = (p.loss * p.seen - previous.loss * previous.seen) / n;
      const spanAccuracy = (p.accuracy * p.seen - previous.accuracy * previous.seen) / n;
      if (Number.isFinite(spanLoss) && spanLoss >= 0) loss = spanLoss;
      if (Number.isFinite(spanAccuracy)) accuracy = Math.min(1, Math.max(0, spanAccuracy));
    }
    spans.push({ x: p.epoch + (p.batch + 1) / p.batchesPerEpoch, loss, accuracy });
    previous = p;
  }
  return spans;
}
