// The Draw view's live prediction, driven through its store: the pad lends a snapshot, the
// store preprocesses it, predicts, and measures the latency once the result is painted.
import { describe, expect, it } from 'vitest';
import type { RawImage } from '../../../../src/shared/preprocess';
import {
  createDrawStore,
  type PadSnapshot,
} from '../../../../src/renderer/src/features/draw/draw-store';
import { MODEL_RASTER } from '../../../../src/renderer/src/features/draw/draw-strokes';
import { MODEL, createApiDouble, infoOn } from '../../studio-api-double';

/** The pad's raster with a thick vertical bar of ink: a "1". */
function one(): RawImage {
  const data = new Uint8ClampedArray(MODEL_RASTER * MODEL_RASTER * 4).fill(255);
  for (let y = 30; y < 110; y++)
    for (let x = 62; x < 78; x++) {
      const i = (y * MODEL_RASTER + x) * 4;
      data[i] = data[i + 1] = data[i + 2] = 0;
    }
  return { width: MODEL_RASTER, height: MODEL_RASTER, channels: 4, data };
}

async function setup(withModel = true) {
  const double = createApiDouble();
  double.setModel(withModel ? MODEL : null);
  const info = await infoOn(double.api);
  const frames: Array<(now: number) => void> = [];
  const store = createDrawStore({
    api: double.api,
    info,
    beforePaint: (callback) => frames.push(callback),
  });
  return { ...double, info, store, frames };
}

const ink = (version: number): PadSnapshot => ({ version, empty: false, image: one() });
/** What the pad reports after ink at `version`; `strokeEndedAt` when the pen lifted. */
const inkChange = (version: number, strokeEndedAt: number | null) => ({
  version,
  empty: false,
  canUndo: true,
  strokeEndedAt,
});

describe('draw store', () => {
  it('predicts the drawing the pad lends and measures the stroke’s latency once painted', async () => {
    const { store, handlers, frames } = await setup();
    handlers.predict.mockImplementation(async (inputs) => {
      // One image, as the binary batch (a Float32Array of 784 values).
      expect(inputs).toBeInstanceOf(Float32Array);
      expect(inputs).toHaveLength(784);
      const probabilities = Array.from({ length: 10 }, (_, d) => (d === 1 ? 0.9 : 0.0111));
      return [{ predicted: 1, confidence: 0.9, probabilities }];
    });
    store.attachPad(() => ink(3));
    store.onPadChange({ version: 3, empty: false, canUndo: true, strokeEndedAt: 100 });
    await store.settled();
    expect(store.padEmpty.value).toBe(false);
    expect(store.canUndo.value).toBe(true);
    expect(store.networkPixels.value).toHaveLength(784);
    expect(store.prediction.value?.predicted).toBe(1);
    expect(store.measured.value).toBe(0);

    expect(frames).toHaveLength(1);
    frames[0]?.(112);
    expect(store.measured.value).toBe(1);
    expect(store.lastLatencyMs.value).toBe(12);
  });

  it('without a model, still shows what the network would see, and asks nothing', async () => {
    const { store, handlers } = await setup(false);
    store.attachPad(() => ink(1));
    store.onPadChange({ version: 1, empty: false, canUndo: true, strokeEndedAt: 5 });
    await store.settled();
    expect(store.networkPixels.value).toHaveLength(784);
    expect(store.prediction.value).toBeNull();
    expect(handlers.predict).not.toHaveBeenCalled();
  });

  it('leaves "no model" to the model notice, shows any other failure', async () => {
    const { store, handlers } = await setup();
    store.attachPad(() => ink(1));
    handlers.predict.mockRejectedValueOnce(new Error('No model loaded'));
    store.onPadChange({ version: 1, empty: false, canUndo: true, strokeEndedAt: null });
    await store.settled();
    expect(store.failure.value).toBeNull();

    handlers.predict.mockRejectedValueOnce(new Error('engine restarting'));
    store.onPadChange({ version: 2, empty: false, canUndo: true, strokeEndedAt: null });
    await store.settled();
    expect(store.failure.value).toBe('Could not predict: engine restarting');
  });

  it('keeps the strokes for the pad that comes back; a cleared pad clears the prediction', async () => {
    const { store, handlers } = await setup();
    handlers.predict.mockResolvedValue([
      { predicted: 1, confidence: 0.9, probabilities: Array.from({ length: 10 }, () => 0.1) },
    ]);
    store.history.begin({ x: 10, y: 10 }, 20);
    store.history.end();
    const detach = store.attachPad(() => ink(store.history.version));
    store.onPadChange({ version: 1, empty: false, canUndo: true, strokeEndedAt: null });
    await store.settled();
    detach(); // the view is left: the drawing stays in the store
    expect(store.history.all).toHaveLength(1);
    expect(store.prediction.value).not.toBeNull();

    store.attachPad(() => ({ version: 2, empty: true, image: one() }));
    store.onPadChange({ version: 2, empty: true, canUndo: false, strokeEndedAt: null });
    await store.settled();
    expect(store.prediction.value).toBeNull();
    expect(store.networkPixels.value).toBeNull();
  });

  it('does not ask again when the pen lifts: the stroke is measured by the frame after it', async () => {
    // Regression: lifting the pen (no new ink) asked for a second prediction of the drawing
    // whose bars were already on screen, so the stroke waited a round trip and a frame more.
    const { store, handlers, frames } = await setup();
    handlers.predict.mockResolvedValue([
      { predicted: 1, confidence: 0.9, probabilities: Array.from({ length: 10 }, () => 0.1) },
    ]);
    store.attachPad(() => ink(4));
    // The last move's ink, predicted and painted while the pen is still down.
    store.onPadChange(inkChange(4, null));
    await store.settled();
    frames.shift()?.(50);
    expect(store.measured.value).toBe(0);

    store.onPadChange(inkChange(4, 60));
    await store.settled();
    expect(handlers.predict).toHaveBeenCalledTimes(1);
    expect(frames).toHaveLength(1);
    frames.shift()?.(66);
    expect(store.measured.value).toBe(1);
    expect(store.lastLatencyMs.value).toBe(6);

    // In flight as the pen lifts: the stroke is measured when that prediction is painted.
    let answer!: () => void;
    handlers.predict.mockImplementationOnce(
      () =>
        new Promise((resolve) => {
          answer = () =>
            resolve([{ predicted: 7, confidence: 0.8, probabilities: Array(10).fill(0.1) }]);
        }),
    );
    store.attachPad(() => ink(5));
    store.onPadChange(inkChange(5, null));
    store.onPadChange(inkChange(5, 80));
    answer();
    await store.settled();
    expect(handlers.predict).toHaveBeenCalledTimes(2);
    expect(store.prediction.value?.predicted).toBe(7);
    frames.shift()?.(95);
    expect(store.measured.value).toBe(2);
    expect(store.lastLatencyMs.value).toBe(15);

    // A lift after ink the bars have not seen yet still asks.
    store.attachPad(() => ink(6));
    store.onPadChange(inkChange(6, 120));
    await store.settled();
    expect(handlers.predict).toHaveBeenCalledTimes(3);
  });
});
