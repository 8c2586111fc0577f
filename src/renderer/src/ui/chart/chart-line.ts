// What a chart component is given: named lines of points, and how to draw each.
import type { Point } from './decimated-series';

export interface ChartLine {
  label: string;
  points: readonly Point[];
  /** CSS custom property holding the colour, e.g. '--chart-loss'. */
  colorVar: string;
  /** Per-epoch series: draw a marker on every point. */
  markers?: boolean;
  /** Thinner line (raw values under their smoothed curve). */
  thin?: boolean;
  /**
   * A fixed reference (a published figure), drawn dashed without markers; it does not count as
   * data (the chart's empty text and point count ignore it).
   */
  reference?: boolean;
}

/** A labelled horizontal reference line across epochs 0…`until`. */
export function referenceLine(
  label: string,
  y: number,
  until: number,
  colorVar: string,
): ChartLine {
  return {
    label,
    points: [
      { x: 0, y },
      { x: until, y },
    ],
    colorVar,
    reference: true,
  };
}

export type ValueFormat = 'loss' | 'percent' | 'count';

export function formatTick(value: number, format: ValueFormat): string {
  switch (format) {
    case 'percent':
      return `${Math.round(value * 1000) / 10}%`;
    case 'count':
      if (Math.abs(value) >= 1000) return `${Math.round(value / 100) / 10}k`;
      return Number.isInteger(value) ? String(value) : value.toFixed(1);
    case 'loss':
      // Three significant digits: readable from 2.3 down to 0.004 (log scale).
      return String(Number(value.toPrecision(3)));
  }
}

/** Tick spacing on the epoch axis: whole epochs, at most ~10 labels. */
export function epochStep(epochs: number): number {
  if (epochs <= 10) return 1;
  const raw = epochs / 10;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const nice = [1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10;
  return nice * magnitude;
}
