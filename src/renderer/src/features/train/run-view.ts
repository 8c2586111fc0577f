// Turns the training state into the words and numbers the run header shows. Pure, so the
// wording is unit-tested along with the reducer.
import type { TrainSummary } from '../../../../shared/engine-protocol';
import {
  formatCount,
  formatDuration,
  formatLoss,
  formatPercent,
  formatRate,
} from '../../ui/format';
import type { RunStatus, TrainingState } from './training-state';

export const STATUS_LABELS: Record<RunStatus, string> = {
  idle: 'Ready',
  starting: 'Preparing data…',
  training: 'Training',
  pausing: 'Pausing…',
  paused: 'Paused',
  resuming: 'Resuming…',
  stopping: 'Stopping…',
  finished: 'Finished',
  stopped: 'Stopped',
  failed: 'Failed',
};

export type StatusTone = 'neutral' | 'active' | 'paused' | 'success' | 'danger';

export function statusTone(status: RunStatus): StatusTone {
  switch (status) {
    case 'starting':
    case 'training':
    case 'resuming':
      return 'active';
    case 'pausing':
    case 'paused':
    case 'stopping':
      return 'paused';
    case 'finished':
    case 'stopped':
      return 'success';
    case 'failed':
      return 'danger';
    case 'idle':
      return 'neutral';
  }
}

/** "Epoch 2 / 3", "Batch 211 / 422", … — the parts of the progress line. */
export function progressParts(state: TrainingState): string[] {
  const p = state.progress;
  if (!p) return [];
  const epochs = state.run?.epochs;
  const parts = [
    `Epoch ${p.epoch + 1}${epochs ? ` / ${epochs}` : ''}`,
    `Batch ${formatCount(p.batch + 1)} / ${formatCount(p.batchesPerEpoch)}`,
    `Elapsed ${formatDuration(p.elapsedSeconds)}`,
  ];
  const done = state.status === 'finished' || state.status === 'stopped';
  if (!done) parts.push(`ETA ${formatDuration(p.etaSeconds)}`);
  parts.push(`LR ${formatRate(p.learningRate)}`);
  return parts;
}

/** "2,700 train · 300 validation · 1,000 test · 61,706 parameters". */
export function runDescription(state: TrainingState): string {
  const run = state.run;
  if (!run || run.trainSamples === 0) return '';
  const parts = [`${formatCount(run.trainSamples)} train`];
  if (run.validationSamples > 0) parts.push(`${formatCount(run.validationSamples)} validation`);
  parts.push(`${formatCount(run.testSamples)} test`, `${formatCount(run.params)} parameters`);
  return parts.join(' · ');
}

/**
 * What early stopping did, for a finished run's summary: stopped early, or gave the model an
 * earlier epoch's weights; null when it was off or the last epoch was the best.
 */
export function earlyStopSentence(summary: Pick<TrainSummary, 'earlyStop'> | null): string | null {
  const e = summary?.earlyStop;
  if (!e) return null;
  const best = `epoch ${e.bestEpoch + 1} (validation loss ${formatLoss(e.bestValLoss)})`;
  if (e.stoppedEarly) {
    return (
      `Stopped early after epoch ${e.epochsTrained}: the validation loss had not improved ` +
      `since ${best}, and the model has that epoch's weights.`
    );
  }
  if (e.bestEpoch + 1 < e.epochsTrained)
    return `The validation loss was lowest at ${best}: the model has that epoch's weights.`;
  return null;
}

/** One sentence for screen readers when the status changes. */
export function announcement(state: TrainingState): string {
  const label = STATUS_LABELS[state.status];
  if (state.summary && (state.status === 'finished' || state.status === 'stopped')) {
    const early = earlyStopSentence(state.summary);
    return `${label}. Test accuracy ${formatPercent(state.summary.testAccuracy)}.${early ? ` ${early}` : ''}`;
  }
  return label;
}
