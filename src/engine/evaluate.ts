// Loss, accuracy and confusion matrix of a model on a resident split, in bounded batches.
import * as tf from '@tensorflow/tfjs-node';
import type { Evaluation } from '../shared/engine-protocol';
import { NUM_CLASSES } from '../shared/mnist-shape';
import type { TensorSplit } from './dataset-tensors';
import { LOSSES, type LossModule } from './losses';

const EVAL_BATCH = 1000;

export function evaluateSplit(
  model: tf.LayersModel,
  split: TensorSplit,
  withConfusion = false,
  /** The run's loss (its preset's); models loaded from files are scored with the default. */
  loss: LossModule = LOSSES['softmax-cross-entropy'],
): Evaluation {
  let lossSum = 0;
  let correct = 0;
  const confusion = Array.from({ length: NUM_CLASSES }, () =>
    new Array<number>(NUM_CLASSES).fill(0),
  );
  for (let start = 0; start < split.count; start += EVAL_BATCH) {
    const size = Math.min(EVAL_BATCH, split.count - start);
    const [batchLoss, actual, predicted] = tf.tidy(() => {
      const [, ...item] = split.x.shape;
      const x = split.x.slice([start, 0, 0, 0], [size, ...item]);
      const y = split.y.slice([start], [size]);
      const outputs = model.predict(x) as tf.Tensor2D;
      const sum = loss.perExample(outputs, y).sum();
      return [sum.dataSync()[0] as number, y.dataSync(), loss.predict(outputs).dataSync()];
    });
    lossSum += batchLoss;
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
