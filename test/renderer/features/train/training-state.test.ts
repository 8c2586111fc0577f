import { describe, expect, it } from 'vitest';
import { seriesPoints } from '../../../../src/renderer/src/ui/chart/decimated-series';
import {
  LOSS_SMOOTHING,
  MIN_RATE_SPAN_SECONDS,
  controlsFor,
  initialTrainingState,
  reduceTraining,
  type TrainingInput,
  type TrainingState,
} from '../../../../src/renderer/src/features/train/training-state';
import { DIGIT_CLASS_NAMES, FASHION_CLASS_NAMES } from '../../../../src/shared/dataset-identity';
import { batch, epoch, started, summary } from './training-events';

function run(inputs: TrainingInput[], from: TrainingState = initialTrainingState()): TrainingState {
  return inputs.reduce(reduceTraining, from);
}

describe('training state: a run from start to finish', () => {
  it('goes idle → starting → training → finished, with the final test accuracy', () => {
    let state = run([{ kind: 'ui-start' }]);
    expect(state.status).toBe('starting');
    expect(controlsFor(state)).toEqual({
      canStart: false,
      canPause: true,
      canResume: false,
      canStop: true,
    });

    state = run([started()], state);
    expect(state.status).toBe('training');
    expect(state.run).toMatchObject({
      epochs: 2,
      batchesPerEpoch: 10,
      batchSize: 100,
      trainSamples: 1000,
    });

    state = run([batch({ epoch: 1, batch: 4, elapsedSeconds: 1.5, etaSeconds: 0.5 })], state);
    expect(state.progress).toMatchObject({
      epoch: 1,
      batch: 4,
      elapsedSeconds: 1.5,
      etaSeconds: 0.5,
    });
    expect(state.progress?.fraction).toBeCloseTo(15 / 20);

    state = run([{ kind: 'train-done', summary: summary() }], state);
    expect(state.status).toBe('finished');
    expect(state.summary?.testAccuracy).toBe(0.9512);
    expect(controlsFor(state).canStart).toBe(true);
  });

  it('clears the previous run when a new one starts', () => {
    const done = run([
      { kind: 'ui-start' },
      started(),
      batch(),
      epoch(),
      { kind: 'train-done', summary: summary() },
    ]);
    const again = reduceTraining(done, { kind: 'ui-start' });
    expect(again.summary).toBeNull();
    expect(again.trainAccuracy).toEqual([]);
    expect(seriesPoints(again.lossRaw)).toEqual([]);
    expect(again.progress).toBeNull();
  });
});

describe("training state: the run's classes", () => {
  const fashion = {
    name: 'Fashion-MNIST',
    fingerprint: 'sha256:unknown-copy',
    kind: 'idx-folder' as const,
    classNames: [...FASHION_CLASS_NAMES],
  };

  it("names them as the run's data does, from the start through the end of the run", () => {
    const state = run([
      { kind: 'ui-start' },
      started({ dataset: fashion }),
      epoch({ valConfusion: [[3]], valPerClassAccuracy: [1] }),
      { kind: 'train-done', summary: summary() },
    ]);
    expect(state.run?.classNames).toEqual(FASHION_CLASS_NAMES);
    expect(state.validation?.confusion).toEqual([[3]]);
  });

  it("takes an image folder's subfolder names", () => {
    const shapes = { name: 'shapes', fingerprint: 'sha256:x', classNames: ['circle', 'square'] };
    expect(run([started({ dataset: shapes })]).run?.classNames).toEqual(['circle', 'square']);
  });

  it('knows Fashion-MNIST by fingerprint when the names were not sent', () => {
    const recognised = {
      name: 'my-copy',
      fingerprint: 'sha256:ca3ab2a37f845e1b8ae23cab1b51749a3011ba3bf1d9016176d75cbaabac376f',
    };
    expect(run([started({ dataset: recognised })]).run?.classNames).toEqual(FASHION_CLASS_NAMES);
  });

  it('falls back to the digits without a dataset (a run whose start was not seen)', () => {
    expect(run([started()]).run?.classNames).toEqual(DIGIT_CLASS_NAMES);
    expect(run([batch()]).run?.classNames).toEqual(DIGIT_CLASS_NAMES);
  });
});

describe('training state: loss series', () => {
  it('derives the loss of the batches since the previous event from the running means', () => {
    // Batches 0–1 average 2.0 (running mean 2.0 over 200 samples); batches 2–4 average 1.0,
    // so the running mean after batch 4 is (2·200 + 1·300) / 500 = 1.4.
    const state = run([started(), batch({ batch: 1, loss: 2.0 }), batch({ batch: 4, loss: 1.4 })]);
    const raw = seriesPoints(state.lossRaw);
    expect(raw.map((p) => p.y)).toEqual([2.0, expect.closeTo(1.0, 10)]);
    expect(raw.map((p) => p.x)).toEqual([0.2, 0.5]);
    expect(state.latest.loss).toBeCloseTo(1.0, 10);
  });

  it('starts each epoch afresh (the running mean restarts with it)', () => {
    const state = run([
      started(),
      batch({ batch: 9, loss: 0.8 }),
      batch({ epoch: 1, batch: 2, loss: 0.5 }),
    ]);
    expect(seriesPoints(state.lossRaw).map((p) => p.y)).toEqual([0.8, 0.5]);
    expect(seriesPoints(state.lossRaw)[1]?.x).toBeCloseTo(1.3);
  });

  it('smooths with a bias-corrected moving average (the first value is the raw one)', () => {
    const state = run([started(), batch({ batch: 0, loss: 2 }), batch({ batch: 1, loss: 1.5 })]);
    const smoothed = seriesPoints(state.lossSmoothed).map((p) => p.y);
    expect(smoothed[0]).toBeCloseTo(2);
    // raw second interval: (1.5·200 − 2·100) / 100 = 1
    const b = LOSS_SMOOTHING;
    const expected = (b * (1 - b) * 2 + (1 - b) * 1) / (1 - b ** 2);
    expect(smoothed[1]).toBeCloseTo(expected, 10);
  });

  it('uses the running mean when the batch size is unknown (a run joined midway)', () => {
    const state = run([batch({ batch: 3, loss: 0.7 }), batch({ batch: 6, loss: 0.6 })]);
    expect(state.status).toBe('training');
    expect(seriesPoints(state.lossRaw).map((p) => p.y)).toEqual([0.7, 0.6]);
    expect(state.run?.batchesPerEpoch).toBe(10);
  });

  it('stays within the point budget over a long run (50 epochs × 400 events)', () => {
    let state = run([started({ epochs: 50, batchesPerEpoch: 400, trainSamples: 40_000 })]);
    for (let e = 0; e < 50; e++) {
      for (let b = 0; b < 400; b++) {
        state = reduceTraining(
          state,
          batch({
            epoch: e,
            batch: b,
            batchesPerEpoch: 400,
            loss: 1 / (1 + e),
            elapsedSeconds: e * 10 + b / 40,
          }),
        );
      }
    }
    expect(state.lossRaw.total).toBe(20_000);
    expect(seriesPoints(state.lossRaw).length).toBeLessThanOrEqual(2001);
    expect(seriesPoints(state.lossSmoothed).length).toBeLessThanOrEqual(2001);
    expect(seriesPoints(state.throughput).length).toBeLessThanOrEqual(2001);
    expect(state.progress?.fraction).toBe(1);
  });
});

describe('training state: accuracy and throughput', () => {
  it('records train and validation accuracy once per epoch', () => {
    const state = run([
      started(),
      epoch({ epoch: 0, accuracy: 0.8, valAccuracy: 0.85 }),
      epoch({ epoch: 1, accuracy: 0.9, valAccuracy: null }),
    ]);
    expect(state.trainAccuracy).toEqual([
      { x: 1, y: 0.8 },
      { x: 2, y: 0.9 },
    ]);
    expect(state.valAccuracy).toEqual([{ x: 1, y: 0.85 }]);
    expect(state.latest.valAccuracy).toBe(0.85);
  });

  it('measures samples per second over a sliding window of training time', () => {
    // 100 samples per batch, one batch every 0.1 s: 1,000 samples/s. The first rate comes once
    // the window spans MIN_RATE_SPAN_SECONDS.
    const events = Array.from({ length: 10 }, (_, b) =>
      batch({ batch: b, elapsedSeconds: 0.1 * (b + 1) }),
    );
    const state = run([started(), ...events]);
    const rates = seriesPoints(state.throughput).map((p) => p.y);
    expect(rates).toHaveLength(10 - Math.round(MIN_RATE_SPAN_SECONDS / 0.1));
    for (const rate of rates) expect(rate).toBeCloseTo(1000, 6);
    expect(state.latest.samplesPerSecond).toBeCloseTo(1000, 6);
  });

  it('restarts the throughput window after a pause (paused time is not training time)', () => {
    const before = run([
      started(),
      batch({ batch: 0, elapsedSeconds: 0.1 }),
      batch({ batch: 5, elapsedSeconds: 0.6 }),
      { kind: 'paused', epoch: 0, batch: 6 },
      { kind: 'resumed', epoch: 0, batch: 6 },
    ]);
    const after = run(
      [batch({ batch: 6, elapsedSeconds: 30 }), batch({ batch: 9, elapsedSeconds: 30.6 })],
      before,
    );
    const rates = seriesPoints(after.throughput).map((p) => p.y);
    // (600 − 100) / 0.5 before the pause; (1000 − 700) / 0.6 after it — never (700 − 600) / 29.4.
    expect(rates).toEqual([expect.closeTo(1000, 6), expect.closeTo(500, 6)]);
  });
});

describe('training state: pause, resume, stop', () => {
  it('shows pausing until the engine confirms, then paused, then training again', () => {
    let state = run([{ kind: 'ui-start' }, started(), batch()]);
    state = reduceTraining(state, { kind: 'ui-pause' });
    expect(state.status).toBe('pausing');
    expect(controlsFor(state)).toMatchObject({ canPause: false, canResume: false, canStop: true });
    state = reduceTraining(state, { kind: 'paused', epoch: 0, batch: 1 });
    expect(state.status).toBe('paused');
    expect(controlsFor(state)).toMatchObject({ canPause: false, canResume: true, canStop: true });
    state = reduceTraining(state, { kind: 'ui-resume' });
    expect(state.status).toBe('resuming');
    state = reduceTraining(state, { kind: 'resumed', epoch: 0, batch: 1 });
    expect(state.status).toBe('training');
  });

  it('ends as stopped with the summary when stopped early, even while paused', () => {
    let state = run([
      { kind: 'ui-start' },
      started(),
      batch(),
      { kind: 'ui-pause' },
      { kind: 'paused', epoch: 0, batch: 1 },
    ]);
    state = reduceTraining(state, { kind: 'ui-stop' });
    expect(state.status).toBe('stopping');
    expect(controlsFor(state)).toMatchObject({ canStart: false, canStop: false });
    state = reduceTraining(state, {
      kind: 'train-done',
      summary: summary({ stopped: true, epochs: 0 }),
    });
    expect(state.status).toBe('stopped');
    expect(state.summary?.stopped).toBe(true);
  });

  it('rolls back an optimistic pause the engine refused', () => {
    const state = run([
      started(),
      batch(),
      { kind: 'ui-pause' },
      { kind: 'ui-request-failed', verb: 'pause', message: 'no training is running' },
    ]);
    expect(state.status).toBe('training');
    expect(state.notice).toEqual({
      level: 'error',
      message: 'Could not pause training: no training is running',
    });
    expect(reduceTraining(state, { kind: 'ui-dismiss-notice' }).notice).toBeNull();
  });

  it('fails a start the host rejected', () => {
    const state = run([
      { kind: 'ui-start' },
      { kind: 'ui-request-failed', verb: 'start', message: 'boom' },
    ]);
    expect(state.status).toBe('failed');
    expect(state.notice?.message).toMatch(/Could not start training: boom/);
  });

  it('shows a failed run with the engine message', () => {
    const state = run([
      { kind: 'ui-start' },
      { kind: 'train-failed', message: 'dataset folder has no train-images file' },
    ]);
    expect(state.status).toBe('failed');
    expect(state.notice?.message).toMatch(/dataset folder has no train-images file/);
  });
});

describe('training state: engine crashes', () => {
  it('reports the crash, blocks Start until the fresh engine is up, and keeps working', () => {
    let state = run([{ kind: 'ui-start' }, started(), batch()]);
    state = reduceTraining(state, { kind: 'engine-crashed', reason: 'killed by SIGKILL' });
    expect(state.status).toBe('failed');
    expect(state.engine).toBe('restarting');
    expect(state.notice?.level).toBe('error');
    expect(state.notice?.message).toMatch(/stopped unexpectedly \(killed by SIGKILL\)/);
    expect(controlsFor(state).canStart).toBe(false);

    // The train request then fails too; the crash message stays.
    state = reduceTraining(state, {
      kind: 'ui-request-failed',
      verb: 'start',
      message: 'engine process ended',
    });
    expect(state.notice?.message).toMatch(/SIGKILL/);

    state = reduceTraining(state, { kind: 'engine-restarted', pid: 1234 });
    expect(state.engine).toBe('ready');
    expect(state.notice?.level).toBe('warn');
    expect(state.notice?.message).toMatch(/ready again/);
    expect(controlsFor(state).canStart).toBe(true);

    // And a new run works as before.
    state = run([{ kind: 'ui-start' }, started(), batch()], state);
    expect(state.status).toBe('training');
    expect(state.notice).toBeNull();
  });

  it('keeps a finished run on screen when the engine crashes while idle', () => {
    const done = run([{ kind: 'ui-start' }, started(), { kind: 'train-done', summary: summary() }]);
    const state = reduceTraining(done, { kind: 'engine-crashed', reason: 'exited with code 1' });
    expect(state.status).toBe('finished');
    expect(state.summary).not.toBeNull();
  });

  it('surfaces engine warnings but not info logs', () => {
    const state = run([{ kind: 'log', level: 'info', message: 'loaded' }]);
    expect(state.notice).toBeNull();
    expect(run([{ kind: 'log', level: 'warn', message: 'low memory' }]).notice).toEqual({
      level: 'warn',
      message: 'low memory',
    });
  });
});

describe('training state: a resumed run', () => {
  it('adds the epochs trained before the interruption to the accuracy chart', () => {
    const at = '2026-11-23T12:00:00.000Z';
    const history = [0, 1].map((e) => ({
      epoch: e,
      loss: 0.5,
      accuracy: 0.9 + e / 100,
      valAccuracy: 0.95,
      valLoss: 0.2,
      seconds: 3,
      samplesPerSecond: 1000,
      at,
    }));
    const state = run([started(), { kind: 'ui-history', epochs: history }]);
    expect(state.trainAccuracy).toEqual([
      { x: 1, y: 0.9 },
      { x: 2, y: 0.91 },
    ]);
    expect(state.valAccuracy.map((p) => p.x)).toEqual([1, 2]);
    expect(state.status).toBe('training');
  });
});
