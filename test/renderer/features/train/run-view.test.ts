import { describe, expect, it } from 'vitest';
import {
  formatCount,
  formatDuration,
  formatLoss,
  formatPercent,
  formatRate,
} from '../../../../src/renderer/src/ui/format';
import {
  announcement,
  earlyStopSentence,
  progressParts,
  runDescription,
  statusTone,
} from '../../../../src/renderer/src/features/train/run-view';
import {
  initialTrainingState,
  reduceTraining,
} from '../../../../src/renderer/src/features/train/training-state';
import { batch, started, summary } from './training-events';

describe('formatting', () => {
  it('formats durations, percentages, counts, losses and rates', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(75)).toBe('1:15');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(Number.NaN)).toBe('–');
    expect(formatPercent(0.98765)).toBe('98.77%');
    expect(formatPercent(null)).toBe('–');
    expect(formatCount(61706)).toBe('61,706');
    expect(formatLoss(0.0123456)).toBe('0.01235');
    expect(formatRate(0.003)).toBe('3.00e-3');
  });
});

describe('run header wording', () => {
  it('describes the run and its progress', () => {
    const state = [
      started(),
      batch({ epoch: 1, batch: 4, elapsedSeconds: 65, etaSeconds: 30 }),
    ].reduce(reduceTraining, reduceTraining(initialTrainingState(), { kind: 'ui-start' }));
    expect(runDescription(state)).toBe(
      '1,000 train · 100 validation · 500 test · 61,706 parameters',
    );
    expect(progressParts(state)).toEqual([
      'Epoch 2 / 2',
      'Batch 5 / 10',
      'Elapsed 1:05',
      'ETA 0:30',
      'LR 3.00e-3',
    ]);
    expect(statusTone(state.status)).toBe('active');
    expect(announcement(state)).toBe('Training');

    const done = reduceTraining(state, { kind: 'train-done', summary: summary() });
    expect(progressParts(done)).not.toContain('ETA 0:00');
    expect(announcement(done)).toBe('Finished. Test accuracy 95.12%.');
    expect(statusTone(done.status)).toBe('success');
  });

  it('has nothing to say before a run', () => {
    expect(progressParts(initialTrainingState())).toEqual([]);
    expect(runDescription(initialTrainingState())).toBe('');
  });
});

describe('early stopping in the summary', () => {
  it('says the run stopped early and which epoch’s weights the model has', () => {
    const early = { bestEpoch: 4, bestValLoss: 0.04123, stoppedEarly: true, epochsTrained: 7 };
    expect(earlyStopSentence({ earlyStop: early })).toBe(
      'Stopped early after epoch 7: the validation loss had not improved since epoch 5 ' +
        "(validation loss 0.04123), and the model has that epoch's weights.",
    );
    expect(
      earlyStopSentence({ earlyStop: { ...early, stoppedEarly: false, epochsTrained: 6 } }),
    ).toBe(
      "The validation loss was lowest at epoch 5 (validation loss 0.04123): the model has that epoch's weights.",
    );
    // The last epoch was the best, or early stopping was off: nothing to say.
    expect(
      earlyStopSentence({ earlyStop: { ...early, stoppedEarly: false, epochsTrained: 5 } }),
    ).toBeNull();
    expect(earlyStopSentence(summary())).toBeNull();
  });
});
