// Loss, accuracy, confusion matrix and per-class scores of a model on a resident split, in
// bounded batches; optionally every sample's prediction and top-3 probabilities (galleries).
import * as tf from '@tensorflow/tfjs-node';
import { confusionMatrix, perClassMetrics } from '../shared/class-metrics';
import type { Evaluation, SampleDetails } from '../shared/engine-protocol';
import { NUM_CLASSES } from '../shared/mnist-shape';
import { rangeBatch, type TensorSplit } from './dataset-tensors';
import { LOSSES, type LossModule } from './losses';
import { forward } from './models';

const EVAL_BATCH = 1000;
const TOP = 3;

export interface EvaluateOptions {
  /**
   * The model's outputs for a batch, when something faster than tf.layers computes them (the
   * native network of a run or of the current model); the same numbers.
   */
  forward?: (x: tf.Tensor) => tf.Tensor2D;
  /** The confusion matrix and per-class scores. */
  confusion?: boolean;
  /** Per-sample labels, predictions and top-3 (implies nothing else). */
  details?: boolean;
  /** With details: all ten probabilities per sample as well. */
  probabilities?: boolean;
  /** The run's loss (its preset's); models loaded from files are scored with the default. */
  loss?: LossModule;
}

export function evaluateSplit(
  model: tf.LayersModel,
  split: TensorSplit,
  options: EvaluateOptions = {},
): Evaluation {
  const loss = options.loss ?? LOSSES['softmax-cross-entropy'];
  const n = split.count;
  const labels = new Int32Array(n);
  const predicted = new Int32Array(n);
  const top3 = options.details ? new Int32Array(n * TOP) : null;
  const top3Probabilities = options.details ? new Float32Array(n * TOP) : null;
  const probabilities =
    options.details && options.probabilities ? new Float32Array(n * NUM_CLASSES) : null;
  let lossSum = 0;
  for (let start = 0; start < n; start += EVAL_BATCH) {
    const size = Math.min(EVAL_BATCH, n - start);
    // Read out inside the tidy: every tensor of the batch is gone when it returns.
    tf.tidy(() => {
      const { x, y } = rangeBatch(split, start, size);
      const outputs = options.forward ? options.forward(x) : forward(model, x);
      lossSum += loss.perExample(outputs, y).sum().dataSync()[0] as number;
      labels.set(y.dataSync() as Int32Array, start);
      predicted.set(loss.predict(outputs).dataSync() as Int32Array, start);
      if (!top3 || !top3Probabilities) return;
      // The loss reads the outputs its own way (softmax, distances to prototypes); what a
      // person sees as probabilities is the loss's view of them.
      const probs = loss.probabilities ? loss.probabilities(outputs) : outputs;
      const top = tf.topk(probs, TOP);
      top3.set(top.indices.dataSync() as Int32Array, start * TOP);
      top3Probabilities.set(top.values.dataSync() as Float32Array, start * TOP);
      probabilities?.set(probs.dataSync() as Float32Array, start * NUM_CLASSES);
    });
  }
  let correct = 0;
  for (let i = 0; i < n; i++) if (labels[i] === predicted[i]) correct++;
  const confusion = options.confusion ? confusionMatrix(labels, predicted, NUM_CLASSES) : [];
  const details: SampleDetails | undefined =
    top3 && top3Probabilities
      ? { labels, predicted, top3, top3Probabilities, ...(probabilities ? { probabilities } : {}) }
      : undefined;
  return {
    testLoss: lossSum / n,
    testAccuracy: correct / n,
    samples: n,
    confusion,
    perClass: options.confusion ? perClassMetrics(confusion) : [],
    ...(details ? { details } : {}),
  };
}
