// Comparing runs: the selection of runs to overlay, and the curves drawn for them. Training is
// drawn per batch where the run recorded its batch history (batches.jsonl): the means over each
// recorded span, smoothed as TensorBoard smooths (the raw curve faint behind); runs recorded
// before that show their per-epoch training points instead. Validation is per epoch. Each run
// keeps one colour, one marker shape and one dash pattern (its place in the selection), so runs
// whose curves coincide still show through each other. Pure.
import { batchSpans, type BatchSpan } from '../../../../shared/batch-history';
import type { BatchPoint, EpochMetrics } from '../../../../shared/run-record';
import type { Point } from '../../ui/chart/decimated-series';
import { smoothPoints } from '../../ui/chart/smoothing';

/** Distinct run styles (the chart component defines the colours as --overlay-0 … --overlay-7). */
export const OVERLAY_COLORS = 8;
/** Curves are overlaid from this many selected runs on. */
export const MIN_COMPARE = 2;

/** chart.js point styles, one per run: outlines that stay apart when drawn on the same spot. */
export const RUN_MARKERS = [
  'circle',
  'rect',
  'triangle',
  'rectRot',
  'crossRot',
  'star',
  'cross',
  'rectRounded',
] as const;
export type RunMarker = (typeof RUN_MARKERS)[number];

/** Dash patterns (canvas setLineDash), one per run: a solid line shows between another's dashes. */
export const RUN_DASHES: readonly (readonly number[])[] = [
  [],
  [8, 4],
  [2, 3],
  [10, 3, 2, 3],
  [5, 5],
  [1, 5],
  [14, 4],
  [6, 2, 2, 2],
];

export interface RunStyle {
  /** Index into the palette (--overlay-N). */
  color: number;
  marker: RunMarker;
  dash: readonly number[];
}

/** The style of the run at `index` in the selection. */
export function runStyle(index: number): RunStyle {
  const i = index % OVERLAY_COLORS;
  return { color: i, marker: RUN_MARKERS[i]!, dash: RUN_DASHES[i]! };
}

export interface OverlayRun {
  id: string;
  name: string;
  /** The run's planned length (for the legend: "1 of 40 epochs"). */
  epochs: number;
  metrics: readonly EpochMetrics[];
  /** The recorded batch history (possibly thinned); empty for runs recorded before it. */
  batches: readonly BatchPoint[];
}

/**
 * - batch-raw: training, the mean over each recorded span of batches (drawn faint);
 * - batch-smoothed: the same, smoothed;
 * - train-epoch: training per epoch, for runs without a batch history;
 * - validation: per epoch.
 */
export type SeriesKind = 'batch-raw' | 'batch-smoothed' | 'train-epoch' | 'validation';

export interface OverlaySeries {
  runId: string;
  label: string;
  kind: SeriesKind;
  style: RunStyle;
  /** Drawing order as chart.js takes it (lower is drawn later, on top). */
  order: number;
  points: Point[];
}

export type OverlayMetric = 'loss' | 'accuracy';

/** Adds or removes a run from the selection, keeping the order in which runs were picked. */
export function toggleSelected(selected: readonly string[], id: string): string[] {
  return selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id];
}

/** Drops runs that are gone (deleted, or no longer comparable) from the selection. */
export function pruneSelection(
  selected: readonly string[],
  available: ReadonlySet<string>,
): string[] {
  const kept = selected.filter((id) => available.has(id));
  return kept.length === selected.length ? (selected as string[]) : kept;
}

function epochPoints(metrics: readonly EpochMetrics[], pick: (m: EpochMetrics) => number | null) {
  const out: Point[] = [];
  for (const m of metrics) {
    const y = pick(m);
    // x = epochs completed, as on the Train view's per-epoch chart.
    if (y !== null && Number.isFinite(y)) out.push({ x: m.epoch + 1, y });
  }
  return out;
}

// A run's spans are the same for both metrics and every smoothing weight: computed once per
// fetched history.
const spansOf = new WeakMap<readonly BatchPoint[], BatchSpan[]>();
function spans(batches: readonly BatchPoint[]): BatchSpan[] {
  let cached = spansOf.get(batches);
  if (!cached) {
    cached = batchSpans(batches);
    spansOf.set(batches, cached);
  }
  return cached;
}

/** Raw batch curves at the bottom, then training, then validation on top; later runs above earlier. */
const LAYER: Record<SeriesKind, number> = {
  'batch-raw': 300,
  'batch-smoothed': 200,
  'train-epoch': 200,
  validation: 100,
};

/**
 * The curves of one metric for every selected run; `smoothing` is the weight of the batch
 * curves' moving average (0: raw). Empty curves are left out.
 */
export function overlaySeries(
  runs: readonly OverlayRun[],
  metric: OverlayMetric,
  smoothing: number,
): OverlaySeries[] {
  const series: OverlaySeries[] = [];
  runs.forEach((run, index) => {
    const style = runStyle(index);
    const add = (kind: SeriesKind, label: string, points: Point[]) => {
      if (points.length > 0)
        series.push({
          runId: run.id,
          label: `${run.name} · ${label}`,
          kind,
          style,
          order: LAYER[kind] - index,
          points,
        });
    };
    const batch = spans(run.batches).map((s) => ({ x: s.x, y: s[metric] }));
    if (batch.length > 0) {
      add('batch-raw', 'train per batch (raw)', batch);
      add('batch-smoothed', 'train per batch', smoothPoints(batch, smoothing));
    } else {
      add(
        'train-epoch',
        'train per epoch',
        epochPoints(run.metrics, (m) => (metric === 'loss' ? m.loss : m.accuracy)),
      );
    }
    add(
      'validation',
      'validation',
      epochPoints(run.metrics, (m) => (metric === 'loss' ? m.valLoss : m.valAccuracy)),
    );
  });
  return series;
}

/**
 * The epoch axis: from 0 when a batch curve starts inside the first epoch (else from 1, where
 * per-epoch points start, unless that leaves no width), to as far as the longest run actually
 * trained. Planned lengths are left out: one run stopped early out of 40 planned epochs would
 * squeeze every other curve into a corner.
 */
export function overlayAxis(runs: readonly OverlayRun[]): { min: number; max: number } {
  let longest = 1;
  let batches = false;
  for (const run of runs) {
    for (const m of run.metrics) longest = Math.max(longest, m.epoch + 1);
    const s = spans(run.batches);
    const last = s[s.length - 1];
    if (last) {
      batches = true;
      longest = Math.max(longest, Math.ceil(last.x));
    }
  }
  return { min: batches || longest === 1 ? 0 : 1, max: longest };
}
