// The published figures the accuracy chart is read against: LeNet-5's test error in LeCun et
// al. (1998), Table/Figure 9 — 0.95% trained on the plain set, 0.80% with distortions.
import { referenceLine, type ChartLine } from '../../ui/chart/chart-line';

export const PAPER_ERROR = { plain: 0.0095, distorted: 0.008 } as const;

/** The two reference lines across the run's epochs (at least one, before a run has a length). */
export function paperReferenceLines(epochs: number | null): ChartLine[] {
  const until = Math.max(1, epochs ?? 1);
  return [
    referenceLine('Paper 99.05% (no distortions)', 1 - PAPER_ERROR.plain, until, '--chart-ref'),
    referenceLine(
      'Paper 99.20% (distortions)',
      1 - PAPER_ERROR.distorted,
      until,
      '--chart-ref-alt',
    ),
  ];
}
