// A page script for the binary-transport test: the renderer's own WebSocket client and browser
// socket (src/renderer/src/services), bundled alone, driving a real browser-mode server. It
// reports what arrived as plain data (constructor names, lengths, values), since typed arrays
// would not survive the trip back to the test runner either. Type-checked with the renderer
// (tsconfig.web.json): it runs in the page.
import { adoptSessionToken } from '../../../src/renderer/src/services/session-token';
import { browserSocket } from '../../../src/renderer/src/services/api';
import { createWsClient, wsUrlFor } from '../../../src/renderer/src/services/ws-client';

adoptSessionToken(window.location, window.history, window.sessionStorage);
const client = createWsClient(wsUrlFor(window.location), browserSocket);

const kind = (v: unknown): string =>
  typeof v === 'object' && v !== null ? v.constructor.name : typeof v;

async function run(samples: number) {
  const train = await client.startTraining({
    epochs: 1,
    trainLimit: 2000,
    testLimit: samples,
    validationSplit: 0,
  });
  const evaluation = await client.evaluate({ testLimit: samples, details: true });
  const indices = Array.from({ length: samples }, (_, i) => i);
  const images = await client.datasetImages({ indices });
  // The test images as the network sees them, one Float32Array batch (binary frame).
  const batch = new Float32Array(images.pixels.length);
  for (let i = 0; i < batch.length; i++) batch[i] = (images.pixels[i] as number) / 255;
  const predictions = await client.predict(batch);
  // A subarray view: only its 784 values cross the wire.
  const maps = await client.activations({ input: batch.subarray(784, 2 * 784) });
  const details = evaluation.details;
  return {
    trainedOn: train.trainSamples,
    details: details
      ? {
          labels: [kind(details.labels), details.labels.length],
          predicted: [kind(details.predicted), details.predicted.length],
          top3: [kind(details.top3), details.top3.length],
          top3Probabilities: [kind(details.top3Probabilities), details.top3Probabilities.length],
          predictedValues: Array.from(details.predicted),
          labelValues: Array.from(details.labels),
          confidences: Array.from(details.top3Probabilities.filter((_, i) => i % 3 === 0)),
        }
      : null,
    images: {
      indices: [kind(images.indices), Array.from(images.indices)],
      labels: [kind(images.labels), Array.from(images.labels)],
      pixels: [kind(images.pixels), images.pixels.length],
      inkedPixels: images.pixels.filter((v) => v > 0).length,
    },
    predictions: predictions.map((p) => [p.predicted, p.confidence]),
    activations: {
      layers: maps.layers.map((l) => [l.name, kind(l.values), l.values.length, l.shape]),
      filters: maps.filters.map((f) => [f.layer, kind(f.values), f.values.length]),
      firstValues: Array.from(maps.layers[0]?.values.subarray(0, 8) ?? []),
    },
  };
}

(window as unknown as { probe: unknown }).probe = { run };
