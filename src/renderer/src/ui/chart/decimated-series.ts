// A chart series that never grows past a fixed number of points, however long the run.
// Raw points are gathered into buckets of `stride` points (averaged, x and y); when the series
// is full, neighbouring buckets merge pairwise and the stride doubles. Every shown point thus
// stands for the same number of raw points (uniform resolution over the whole run), the newest,
// partly filled bucket is shown too (the chart stays live), and the cost per update is bounded.

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** A point standing for `n` raw points (their mean). */
export interface WeightedPoint extends Point {
  readonly n: number;
}

export interface DecimatedSeries {
  /** Complete buckets of `stride` raw points each, oldest first. */
  readonly buckets: readonly WeightedPoint[];
  /** The bucket being filled (fewer than `stride` raw points), if any. */
  readonly pending: WeightedPoint | null;
  readonly stride: number;
  readonly maxPoints: number;
  /** Raw points received so far. */
  readonly total: number;
}

/** Charts stay smooth with a few thousand points; 2,000 is plenty for a loss curve. */
export const DEFAULT_MAX_POINTS = 2000;

export function emptySeries(maxPoints = DEFAULT_MAX_POINTS): DecimatedSeries {
  if (!Number.isInteger(maxPoints) || maxPoints < 4) {
    throw new Error('maxPoints must be an integer ≥ 4');
  }
  return { buckets: [], pending: null, stride: 1, maxPoints, total: 0 };
}

function merge(a: WeightedPoint, b: WeightedPoint): WeightedPoint {
  const n = a.n + b.n;
  return { x: (a.x * a.n + b.x * b.n) / n, y: (a.y * a.n + b.y * b.n) / n, n };
}

export function appendPoint(series: DecimatedSeries, point: Point): DecimatedSeries {
  const raw: WeightedPoint = { x: point.x, y: point.y, n: 1 };
  const filled = series.pending ? merge(series.pending, raw) : raw;
  const total = series.total + 1;
  if (filled.n < series.stride) return { ...series, pending: filled, total };

  let buckets = [...series.buckets, filled];
  let stride = series.stride;
  // The pending bucket is drawn too, so keep room for it.
  if (buckets.length >= series.maxPoints) {
    const merged: WeightedPoint[] = [];
    for (let i = 0; i + 1 < buckets.length; i += 2) {
      merged.push(merge(buckets[i] as WeightedPoint, buckets[i + 1] as WeightedPoint));
    }
    const leftover = buckets.length % 2 === 1 ? buckets[buckets.length - 1] : undefined;
    stride *= 2;
    buckets = merged;
    // An odd bucket out has only half the new stride: it becomes the pending bucket.
    return { ...series, buckets, pending: leftover ?? null, stride, total };
  }
  return { ...series, buckets, pending: null, stride, total };
}

// Series are immutable, so each one's drawn points can be computed once and shared: the same
// series gives the same array, which lets a chart skip redrawing what has not changed.
const drawn = new WeakMap<DecimatedSeries, readonly Point[]>();

/** What a chart draws: the complete buckets plus the partial one. */
export function seriesPoints(series: DecimatedSeries): readonly Point[] {
  let points = drawn.get(series);
  if (!points) {
    const list: Point[] = series.buckets.map(({ x, y }) => ({ x, y }));
    if (series.pending) list.push({ x: series.pending.x, y: series.pending.y });
    points = list;
    drawn.set(series, points);
  }
  return points;
}

/** The newest value (partial bucket included), or null for an empty series. */
export function lastValue(series: DecimatedSeries): number | null {
  const last = series.pending ?? series.buckets[series.buckets.length - 1];
  return last ? last.y : null;
}
