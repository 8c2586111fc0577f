// One optimisation step on a batch, and the optimizers the config can name.
import * as tf from '@tensorflow/tfjs-node';
import type { TrainingConfig } from '../../shared/training-config';

export interface TrainStepState {
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
}

export function createOptimizer(
  config: Pick<TrainingConfig, 'optimizer' | 'learningRate'>,
): tf.Optimizer {
  switch (config.optimizer) {
    case 'sgd':
      return tf.train.sgd(config.learningRate);
    case 'momentum':
      return tf.train.momentum(config.learningRate, 0.9);
    case 'adam':
      return tf.train.adam(config.learningRate);
  }
}

/**
 * tfjs optimizers read `learningRate` on every step but expose it only as a protected field;
 * setting it is how a schedule is applied without rebuilding the optimizer (and its state).
 */
function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = lr;
}

/** Runs one step; returns the batch's mean loss and its count of correct predictions. */
export function trainStep(
  state: TrainStepState,
  x: tf.Tensor,
  y: tf.Tensor,
  learningRate: number,
): { loss: tf.Scalar; correct: tf.Scalar } {
  setLearningRate(state.optimizer, learningRate);
  let correct: tf.Scalar | undefined;
  const loss = state.optimizer.minimize(() => {
    const probs = state.model.apply(x, { training: true }) as tf.Tensor2D;
    correct = tf.keep(tf.equal(probs.argMax(1), y.argMax(1)).sum().toFloat() as tf.Scalar);
    return tf.metrics.categoricalCrossentropy(y, probs).mean() as tf.Scalar;
  }, true) as tf.Scalar;
  return { loss, correct: correct as tf.Scalar };
}
