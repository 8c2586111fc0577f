// The Draw feature's store: the drawing (its strokes, so the pad repaints it when the view comes
// back), the stroke width, and the live prediction with its latency. Created once by the app.
// The pad itself (its canvases) is the view's: it lends the store a snapshot while on screen.
import { ref, shallowRef, type Ref, type ShallowRef } from 'vue';
import type { Prediction } from '../../../../shared/engine-protocol';
import { preprocess, type RawImage } from '../../../../shared/preprocess';
import type { StudioApi } from '../../../../shared/studio-contract';
import type { StudioInfoStore } from '../../app/studio-info';
import { errorMessage } from '../../ui/error-message';
import { StrokeLatency } from './draw-latency';
import { latestOnly } from './draw-live-predictor';
import { toWireBatch } from './draw-network-input';
import { StrokeHistory, type PadChange } from './draw-strokes';

/** The drawing as the network's input raster, with the version of the strokes it shows. */
export interface PadSnapshot {
  version: number;
  empty: boolean;
  image: RawImage;
}

export interface DrawStore {
  /** The strokes; the pad paints them and records new ones. */
  history: StrokeHistory;
  strokeWidth: Ref<number>;
  // Primitive refs, set on every pointer move: Vue re-renders only when a value really changes,
  // not 100 times a second while someone draws.
  padEmpty: Ref<boolean>;
  canUndo: Ref<boolean>;
  prediction: ShallowRef<Prediction | null>;
  networkPixels: ShallowRef<Float32Array | null>;
  warning: Ref<string | null>;
  failure: Ref<string | null>;
  /** Strokes whose latency was measured, and the last latency (read by the e2e tests). */
  measured: Ref<number>;
  lastLatencyMs: Ref<number | null>;
  /** The pad on screen lends its snapshot; returns the function that takes it back. */
  attachPad(snapshot: () => PadSnapshot | null): () => void;
  onPadChange(change: PadChange): void;
  /** Asks the engine which model is current, then predicts the drawing again with it. */
  refresh(): Promise<void>;
  /** Resolves once no prediction is running or pending (tests). */
  settled(): Promise<void>;
}

export interface DrawDeps {
  api: Pick<StudioApi, 'predict'>;
  info: StudioInfoStore;
  /** Calls back with the time just before the next frame is painted (requestAnimationFrame). */
  beforePaint(callback: (now: number) => void): void;
}

export function createDrawStore({ api, info, beforePaint }: DrawDeps): DrawStore {
  const history = new StrokeHistory();
  const padEmpty = ref(history.isEmpty);
  const canUndo = ref(history.canUndo);
  const prediction = shallowRef<Prediction | null>(null);
  const networkPixels = shallowRef<Float32Array | null>(null);
  const warning = ref<string | null>(null);
  const failure = ref<string | null>(null);
  const latency = new StrokeLatency();
  const measured = ref(0);
  const lastLatencyMs = ref<number | null>(null);
  let snapshot: (() => PadSnapshot | null) | null = null;
  /** The drawing version whose prediction was asked last and stands (in flight or shown), or -1. */
  let askedVersion = -1;
  /** The drawing version whose prediction is on screen, or -1. */
  let paintedVersion = -1;

  /** Records the latency once the frame showing `version` is about to be painted. */
  const measureWhenPainted = (version: number): void =>
    beforePaint((now) => {
      paintedVersion = version;
      if (latency.shown(version, now).length > 0) {
        measured.value = latency.measured;
        lastLatencyMs.value = latency.lastMs;
      }
    });

  const live = latestOnly(async () => {
    const shot = snapshot?.() ?? null;
    askedVersion = -1;
    if (!shot || shot.empty) {
      prediction.value = null;
      networkPixels.value = null;
      warning.value = null;
      return;
    }
    let pixels: Float32Array;
    try {
      const result = preprocess(shot.image);
      pixels = result.pixels;
      warning.value = result.warnings[0] ?? null;
    } catch {
      return; // ink too faint to find yet: keep what is shown
    }
    networkPixels.value = pixels;
    if (!info.info.value?.engine.model) {
      // Nothing to predict with, but the 28×28 still shows what the network would see.
      latency.forget();
      return;
    }
    try {
      askedVersion = shot.version;
      const [result] = await api.predict(toWireBatch([pixels]));
      failure.value = null;
      // Cleared while this was in flight: the next run (already requested) shows the empty pad.
      if (padEmpty.value) return;
      prediction.value = result ?? null;
      measureWhenPainted(shot.version);
    } catch (error) {
      askedVersion = -1;
      // No model after all (the engine restarted, say): the model notice says it better.
      const text = errorMessage(error);
      if (!/no model/i.test(text)) failure.value = `Could not predict: ${text}`;
      void info.refresh();
    }
  });

  return {
    history,
    strokeWidth: ref(20),
    padEmpty,
    canUndo,
    prediction,
    networkPixels,
    warning,
    failure,
    measured,
    lastLatencyMs,
    attachPad(source) {
      snapshot = source;
      return () => {
        if (snapshot === source) snapshot = null;
      };
    },
    onPadChange(change) {
      padEmpty.value = change.empty;
      canUndo.value = change.canUndo;
      if (change.strokeEndedAt !== null) latency.strokeEnded(change.version, change.strokeEndedAt);
      if (change.empty) latency.forget();
      // Lifting the pen adds no ink: the prediction already asked for this drawing stands.
      // Asking again put the stroke's bars a whole round trip and a frame later (stroke → bars
      // 30 ms where the bars of the finished stroke were on screen as the pen lifted, measured).
      if (change.strokeEndedAt !== null && askedVersion === change.version) {
        // Already on screen: the next frame is the one that shows it after the stroke.
        if (paintedVersion === change.version) measureWhenPainted(change.version);
        return;
      }
      live.request();
    },
    async refresh() {
      await info.refresh();
      live.request();
    },
    settled: () => live.settled(),
  };
}
