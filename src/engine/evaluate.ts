// Loss, accuracy and confusion matrix of a model on a resident split, in bounded batches.
import * as tf from '@tensorflow/tfjs-node';
import type { Evaluation } from '../shared/engine-protocol';
import type { TensorSplit } from './dataset-tensors';

const EVAL_BATCH = 1000;

export function evaluateSplit(
  model: tf.LayersModel,
  split: TensorSplit,
  withConfusion = false,
): Evaluation {
  let lossSum = 0;
  let correct = 0;
  const confusion = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  for (let start = 0; start < split.count; start += EVAL_BATCH) {
    const size = Math.min(EVAL_BATCH, split.count - start);
    const [loss, actual, predicted] = tf.tidy(() => {
      const x = split.x.slice([start, 0, 0, 0], [size, 28, 28, 1]);
      const y = split.y.slice([start], [size]);
      const probs = model.predict(x) as tf.Tensor2D;
      const loss = tf.metrics.categoricalCrossentropy(tf.oneHot(y, 10).toFloat(), probs).sum();
      return [loss.dataSync()[0] as number, y.dataSync(), probs.argMax(1).dataSync()];
    });
    lossSum += loss;
    for (let i = 0; i < size; i++) {
      const a = actual[i] as number;
      const p = predicted[i] as number;
      if (a === p) correct++;
      if (withConfusion) (confusion[a] as number[])[p]! += 1;
    }
  }
  return {
    testLoss: lossSum / split.count,
    testAccuracy: correct / split.count,
    samples: split.count,
    confusion: withConfusion ? confusion : [],
  };
}
