// The Train view's state, reduced from the stream of studio events and the user's own actions.
// Pure: no Vue, no DOM, no transport. The view holds the state in a shallowRef and replaces it
// on every event; the charts read the series from it.
import { classNamesOf } from '../../../../shared/dataset-identity';
import type { TrainSummary } from '../../../../shared/engine-protocol';
import type { EpochMetrics } from '../../../../shared/run-record';
import type { StudioEvent } from '../../../../shared/studio-contract';
import {
  appendPoint,
  emptySeries,
  type DecimatedSeries,
  type Point,
} from '../../ui/chart/decimated-series';

export type RunStatus =
  | 'idle'
  | 'starting' // asked the engine to train; it is loading data and building the model
  | 'training'
  | 'pausing' // pause asked; takes effect at the next batch boundary
  | 'paused'
  | 'resuming'
  | 'stopping'
  | 'finished'
  | 'stopped'
  | 'failed';

/** What the user did; reduced alongside the engine's events. */
export type UiAction =
  | { kind: 'ui-start' }
  | { kind: 'ui-pause' }
  | { kind: 'ui-resume' }
  | { kind: 'ui-stop' }
  /** A request to the host failed (rejected promise); `verb` names which. */
  | { kind: 'ui-request-failed'; verb: 'start' | 'pause' | 'resume' | 'stop'; message: string }
  /**
   * A request was cut off by a dropped connection (browser mode): the host may have done it,
   * and the run, if any, goes on there; the page catches up when it reconnects.
   */
  | { kind: 'ui-connection-lost'; verb: 'start' | 'pause' | 'resume' | 'stop' }
  /** After a reconnect the host knew no run, where this page showed one going. */
  | { kind: 'ui-run-gone' }
  | { kind: 'ui-dismiss-notice' }
  /** Epochs a resumed run trained before it was interrupted (from the run's metrics). */
  | { kind: 'ui-history'; epochs: EpochMetrics[] };

export type TrainingInput = StudioEvent | UiAction;

export interface RunInfo {
  epochs: number;
  batchesPerEpoch: number;
  batchSize: number | null;
  trainSamples: number;
  validationSamples: number;
  testSamples: number;
  params: number;
  model: string | null;
  /** Label i's name in the run's data (Fashion-MNIST's, an image folder's; else the digits). */
  classNames: readonly string[];
}

export interface Progress {
  /** 0-based epoch and batch of the newest batch event. */
  epoch: number;
  batch: number;
  batchesPerEpoch: number;
  /** Share of all batches of the run done, 0…1; null when the run's length is unknown. */
  fraction: number | null;
  elapsedSeconds: number;
  etaSeconds: number;
  learningRate: number;
  /** Running mean over the current epoch, as the engine reports it. */
  epochLoss: number;
  epochAccuracy: number;
}

export interface Notice {
  level: 'info' | 'warn' | 'error';
  message: string;
}

interface IntervalMark {
  epoch: number;
  /** Samples seen in `epoch` so far, and the running mean loss over them. */
  seen: number;
  meanLoss: number;
}

interface RateMark {
  samples: number;
  elapsed: number;
}

export interface EpochValidation {
  /** 1-based: the epoch just completed. */
  epoch: number;
  /** [actual][predicted] counts. */
  confusion: number[][];
  /** null for a class the validation set lacks. */
  perClassAccuracy: Array<number | null>;
}

export interface TrainingState {
  status: RunStatus;
  engine: 'ready' | 'restarting';
  run: RunInfo | null;
  progress: Progress | null;
  /** Mean loss of the batches since the previous event (x: fractional epochs). */
  lossRaw: DecimatedSeries;
  /** Exponential moving average of lossRaw, bias-corrected. */
  lossSmoothed: DecimatedSeries;
  /** Training throughput over a short sliding window. */
  throughput: DecimatedSeries;
  /** One point per epoch at x = epoch + 1. */
  trainAccuracy: readonly Point[];
  valAccuracy: readonly Point[];
  latest: { loss: number | null; samplesPerSecond: number | null; valAccuracy: number | null };
  /** The latest epoch's validation confusion matrix and per-class accuracy (the insight panel). */
  validation: EpochValidation | null;
  summary: TrainSummary | null;
  notice: Notice | null;
  /** Bookkeeping for the derived series (not for display). */
  ema: { value: number; count: number } | null;
  lastMark: IntervalMark | null;
  rateWindow: readonly RateMark[];
}

/**
 * Weight of history in the smoothed loss (TensorBoard's default is 0.6). Each raw point already
 * averages the several batches since the previous event, so light smoothing suffices.
 */
export const LOSS_SMOOTHING = 0.6;
/** Throughput is measured over this much training time (batch events come ~10/s)… */
export const RATE_WINDOW_SECONDS = 1.5;
/** …and only once the window spans this much: shorter spans give jittery rates. */
export const MIN_RATE_SPAN_SECONDS = 0.5;

export function initialTrainingState(): TrainingState {
  return {
    status: 'idle',
    engine: 'ready',
    run: null,
    progress: null,
    lossRaw: emptySeries(),
    lossSmoothed: emptySeries(),
    throughput: emptySeries(),
    trainAccuracy: [],
    valAccuracy: [],
    latest: { loss: null, samplesPerSecond: null, valAccuracy: null },
    validation: null,
    summary: null,
    notice: null,
    ema: null,
    lastMark: null,
    rateWindow: [],
  };
}

const ACTIVE: ReadonlySet<RunStatus> = new Set([
  'starting',
  'training',
  'pausing',
  'paused',
  'resuming',
  'stopping',
]);

export function isActive(status: RunStatus): boolean {
  return ACTIVE.has(status);
}

/** Which controls make sense now. */
export function controlsFor(state: TrainingState): {
  canStart: boolean;
  canPause: boolean;
  canResume: boolean;
  canStop: boolean;
} {
  const s = state.status;
  return {
    canStart: !isActive(s) && state.engine === 'ready',
    canPause: s === 'training' || s === 'starting',
    canResume: s === 'paused',
    canStop:
      s === 'training' || s === 'starting' || s === 'paused' || s === 'pausing' || s === 'resuming',
  };
}

/** A fresh run: series and results cleared, engine state kept. */
function resetRun(state: TrainingState, status: RunStatus): TrainingState {
  const fresh = initialTrainingState();
  return { ...fresh, status, engine: state.engine };
}

export function reduceTraining(state: TrainingState, input: TrainingInput): TrainingState {
  switch (input.kind) {
    case 'ui-start':
      return resetRun(state, 'starting');
    case 'ui-pause':
      return state.status === 'training' || state.status === 'starting'
        ? { ...state, status: 'pausing' }
        : state;
    case 'ui-resume':
      return state.status === 'paused' ? { ...state, status: 'resuming' } : state;
    case 'ui-stop':
      return isActive(state.status) ? { ...state, status: 'stopping' } : state;
    case 'ui-request-failed':
      return requestFailed(state, input.verb, input.message);
    case 'ui-connection-lost':
      return connectionLost(state, input.verb);
    case 'ui-run-gone':
      return {
        ...state,
        notice: {
          level: 'warn',
          message:
            'The studio restarted while the run was going, and the run was cut off. Its last epoch is kept: resume it from the Models view.',
        },
      };
    case 'ui-dismiss-notice':
      return { ...state, notice: null };

    case 'train-started': {
      const next = resetRun(
        state,
        state.status === 'pausing' || state.status === 'stopping' ? state.status : 'training',
      );
      return {
        ...next,
        run: {
          epochs: input.epochs,
          batchesPerEpoch: input.batchesPerEpoch,
          batchSize: input.config.batchSize,
          trainSamples: input.trainSamples,
          validationSamples: input.validationSamples,
          testSamples: input.testSamples,
          params: input.params,
          model: input.config.model,
          classNames: classNamesOf(input.dataset),
        },
      };
    }
    case 'batch':
      return onBatch(state, input);
    case 'epoch': {
      const x = input.epoch + 1;
      const run = state.run ?? attachedRun(input.epochs, 0);
      return {
        ...state,
        run: { ...run, epochs: input.epochs },
        trainAccuracy: upsert(state.trainAccuracy, { x, y: input.accuracy }),
        valAccuracy:
          input.valAccuracy === null
            ? state.valAccuracy
            : upsert(state.valAccuracy, { x, y: input.valAccuracy }),
        latest: { ...state.latest, valAccuracy: input.valAccuracy ?? state.latest.valAccuracy },
        validation:
          input.valConfusion && input.valPerClassAccuracy
            ? {
                epoch: x,
                confusion: input.valConfusion,
                perClassAccuracy: input.valPerClassAccuracy,
              }
            : state.validation,
      };
    }
    case 'ui-history':
      return input.epochs.reduce(
        (s, e) => ({
          ...s,
          trainAccuracy: upsert(s.trainAccuracy, { x: e.epoch + 1, y: e.accuracy }),
          valAccuracy:
            e.valAccuracy === null
              ? s.valAccuracy
              : upsert(s.valAccuracy, { x: e.epoch + 1, y: e.valAccuracy }),
        }),
        state,
      );
    case 'paused':
      return {
        ...state,
        status: state.status === 'stopping' ? 'stopping' : 'paused',
        // Time spent paused is not training time: the throughput window restarts.
        rateWindow: [],
      };
    case 'resumed':
      return {
        ...state,
        status: state.status === 'stopping' ? 'stopping' : 'training',
        rateWindow: [],
      };
    case 'train-done':
      return {
        ...state,
        status: input.summary.stopped ? 'stopped' : 'finished',
        summary: input.summary,
        progress: state.progress ? { ...state.progress, etaSeconds: 0 } : null,
      };
    case 'train-failed':
      return {
        ...state,
        status: 'failed',
        notice: { level: 'error', message: `Training failed: ${input.message}` },
      };
    case 'log':
      return input.level === 'info'
        ? state
        : { ...state, notice: { level: input.level, message: input.message } };
    case 'engine-crashed':
      return {
        ...state,
        status: isActive(state.status) ? 'failed' : state.status,
        engine: 'restarting',
        notice: {
          level: 'error',
          message: `The training engine stopped unexpectedly (${input.reason}). A fresh engine is starting; your settings are kept.`,
        },
      };
    case 'engine-restarted':
      return {
        ...state,
        engine: 'ready',
        notice:
          state.notice?.level === 'error'
            ? { level: 'warn', message: `${state.notice.message} The engine is ready again.` }
            : state.notice,
      };
  }
}

function requestFailed(
  state: TrainingState,
  verb: 'start' | 'pause' | 'resume' | 'stop',
  message: string,
): TrainingState {
  const notice: Notice = { level: 'error', message: `Could not ${verb} training: ${message}` };
  switch (verb) {
    case 'start':
      // The train request settles only when the run ends; a rejection after a crash or a
      // train-failed event has already been shown, so keep that message.
      if (state.status === 'failed') return state;
      return { ...state, status: isActive(state.status) ? 'failed' : state.status, notice };
    case 'pause':
      return { ...state, status: state.status === 'pausing' ? 'training' : state.status, notice };
    case 'resume':
      return { ...state, status: state.status === 'resuming' ? 'paused' : state.status, notice };
    case 'stop':
      return { ...state, notice };
  }
}

function connectionLost(
  state: TrainingState,
  verb: 'start' | 'pause' | 'resume' | 'stop',
): TrainingState {
  if (verb === 'start' && isActive(state.status)) {
    // The train request lasts as long as the run: losing it says nothing about the run.
    return {
      ...state,
      notice: {
        level: 'warn',
        message:
          'Connection to the studio lost; reconnecting. The run goes on in the studio, and this page catches up when the connection is back.',
      },
    };
  }
  const notice: Notice = {
    level: 'warn',
    message: `The connection to the studio was lost before the ${verb} was confirmed; reconnecting. Check the run once the connection is back.`,
  };
  return {
    ...state,
    status:
      verb === 'pause' && state.status === 'pausing'
        ? 'training'
        : verb === 'resume' && state.status === 'resuming'
          ? 'paused'
          : state.status,
    notice,
  };
}

/** A run whose train-started we never saw (e.g. a second browser tab opened mid-run). */
function attachedRun(epochs: number, batchesPerEpoch: number): RunInfo {
  return {
    epochs,
    batchesPerEpoch,
    batchSize: null,
    trainSamples: 0,
    validationSamples: 0,
    testSamples: 0,
    params: 0,
    model: null,
    // Unknown without the run's start: the digits, as for a run recorded before names were kept.
    classNames: classNamesOf(null),
  };
}

function upsert(points: readonly Point[], point: Point): Point[] {
  return [...points.filter((p) => p.x !== point.x), point].sort((a, b) => a.x - b.x);
}

type BatchEvent = Extract<StudioEvent, { kind: 'batch' }>;

function onBatch(state: TrainingState, event: BatchEvent): TrainingState {
  // A page attaching to a run replays the host's journal and then the events that arrived
  // meanwhile, which may repeat its last batches: a batch at or before the newest one is known.
  const last = state.progress;
  if (
    last &&
    (event.epoch < last.epoch || (event.epoch === last.epoch && event.batch <= last.batch))
  )
    return state;
  const run = state.run;
  const x = event.epoch + (event.batch + 1) / event.batchesPerEpoch;
  const seen = samplesSeen(run, event);

  // The engine reports the running mean over the epoch; the mean over just the batches since
  // the previous event follows from two running means, and is what "batch loss" should show.
  let rawLoss = event.loss;
  const mark = state.lastMark;
  if (seen !== null && mark && mark.epoch === event.epoch && seen > mark.seen) {
    const interval = (event.loss * seen - mark.meanLoss * mark.seen) / (seen - mark.seen);
    if (Number.isFinite(interval) && interval >= 0) rawLoss = interval;
  }

  const count = (state.ema?.count ?? 0) + 1;
  const emaValue = LOSS_SMOOTHING * (state.ema?.value ?? 0) + (1 - LOSS_SMOOTHING) * rawLoss;
  const smoothed = emaValue / (1 - LOSS_SMOOTHING ** count);

  const { rate, window } = throughputAt(state, event, run, seen);

  const epochs = run?.epochs ?? null;
  const done = event.epoch * event.batchesPerEpoch + event.batch + 1;
  const status: RunStatus =
    state.status === 'idle' ||
    state.status === 'starting' ||
    state.status === 'resuming' ||
    state.status === 'finished' ||
    state.status === 'stopped' ||
    state.status === 'failed'
      ? 'training'
      : state.status;

  return {
    ...state,
    status,
    run: run ?? attachedRun(event.epoch + 1, event.batchesPerEpoch),
    progress: {
      epoch: event.epoch,
      batch: event.batch,
      batchesPerEpoch: event.batchesPerEpoch,
      fraction: epochs ? Math.min(1, done / (epochs * event.batchesPerEpoch)) : null,
      elapsedSeconds: event.elapsedSeconds,
      etaSeconds: event.etaSeconds,
      learningRate: event.learningRate,
      epochLoss: event.loss,
      epochAccuracy: event.accuracy,
    },
    lossRaw: appendPoint(state.lossRaw, { x, y: rawLoss }),
    lossSmoothed: appendPoint(state.lossSmoothed, { x, y: smoothed }),
    throughput: rate === null ? state.throughput : appendPoint(state.throughput, { x, y: rate }),
    latest: {
      ...state.latest,
      loss: rawLoss,
      samplesPerSecond: rate ?? state.latest.samplesPerSecond,
    },
    ema: { value: emaValue, count },
    lastMark: seen === null ? null : { epoch: event.epoch, seen, meanLoss: event.loss },
    rateWindow: window,
  };
}

/** Samples seen in the event's epoch, when the run's batch size and size are known. */
function samplesSeen(run: RunInfo | null, event: BatchEvent): number | null {
  if (!run || run.batchSize === null || run.trainSamples <= 0) return null;
  return Math.min((event.batch + 1) * run.batchSize, run.trainSamples);
}

/**
 * Samples per second over the last RATE_WINDOW_SECONDS of training. The window restarts at
 * pauses and epoch boundaries (validation runs there), so it measures training alone.
 */
function throughputAt(
  state: TrainingState,
  event: BatchEvent,
  run: RunInfo | null,
  seen: number | null,
): { rate: number | null; window: RateMark[] } {
  if (seen === null || !run) return { rate: event.samplesPerSecond, window: [] };
  const mark: RateMark = {
    samples: event.epoch * run.trainSamples + seen,
    elapsed: event.elapsedSeconds,
  };
  const sameEpoch = state.lastMark !== null && state.lastMark.epoch === event.epoch;
  const previous = sameEpoch ? state.rateWindow : [];
  const window = [...previous, mark];
  // Keep the newest mark that is at least a window old as the base, and everything after it.
  let start = 0;
  for (let i = 0; i < window.length - 1; i++) {
    if (mark.elapsed - (window[i] as RateMark).elapsed >= RATE_WINDOW_SECONDS) start = i;
  }
  const trimmed = window.slice(start);
  const base = trimmed[0] as RateMark;
  const dt = mark.elapsed - base.elapsed;
  const rate = dt >= MIN_RATE_SPAN_SECONDS ? (mark.samples - base.samples) / dt : null;
  return { rate, window: trimmed };
}
