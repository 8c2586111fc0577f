// Comparing runs: the selection of runs to overlay, and the per-epoch curves drawn for them.
// Each run keeps one colour; the two curves of a run differ by dash (validation solid, training
// dashed), so a chart of several runs stays readable. Pure.
import type { EpochMetrics } from '../../../../shared/run-record';
import type { Point } from '../../ui/chart/decimated-series';

/** Distinct run colours (the chart component defines them as --overlay-0 … --overlay-7). */
export const OVERLAY_COLORS = 8;
/** Curves are overlaid from this many selected runs on. */
export const MIN_COMPARE = 2;

export interface OverlayRun {
  id: string;
  name: string;
  /** The run's planned length (for the legend: "1 of 40 epochs"). */
  epochs: number;
  metrics: readonly EpochMetrics[];
}

export interface OverlaySeries {
  runId: string;
  label: string;
  /** Index into the palette: the run's position in the selection. */
  color: number;
  /** Training curves are dashed, validation curves solid. */
  dashed: boolean;
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

function points(metrics: readonly EpochMetrics[], pick: (m: EpochMetrics) => number | null) {
  const out: Point[] = [];
  for (const m of metrics) {
    const y = pick(m);
    // x = epochs completed, as on the Train view's per-epoch chart.
    if (y !== null && Number.isFinite(y)) out.push({ x: m.epoch + 1, y });
  }
  return out;
}

/** The curves of one metric for every selected run, validation first; empty curves left out. */
export function overlaySeries(runs: readonly OverlayRun[], metric: OverlayMetric): OverlaySeries[] {
  const series: OverlaySeries[] = [];
  runs.forEach((run, index) => {
    const color = index % OVERLAY_COLORS;
    const validation = points(run.metrics, (m) => (metric === 'loss' ? m.valLoss : m.valAccuracy));
    const train = points(run.metrics, (m) => (metric === 'loss' ? m.loss : m.accuracy));
    if (validation.length > 0)
      series.push({
        runId: run.id,
        label: `${run.name} · validation`,
        color,
        dashed: false,
        points: validation,
      });
    if (train.length > 0)
      series.push({
        runId: run.id,
        label: `${run.name} · train`,
        color,
        dashed: true,
        points: train,
      });
  });
  return series;
}

/**
 * The epoch axis: as long as the longest run actually trained. Planned lengths are left out: one
 * run stopped early out of 40 planned epochs would squeeze every other curve into a corner.
 */
export function overlayEpochs(runs: readonly OverlayRun[]): number {
  let longest = 1;
  for (const run of runs) for (const m of run.metrics) longest = Math.max(longest, m.epoch + 1);
  return longest;
}
