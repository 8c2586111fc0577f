// TensorBoard event files for a run, written by TensorFlow's own summary writer (opened in
// summary-writer.ts; files named events.out.tfevents.<time>.<host>.<pid>.<n>.v2 in the log
// folder). Per batch (throttled, as progress events are: about ten a second, and always the
// last batch of an epoch): loss and accuracy at the global step. Per epoch (step = epochs
// completed): loss, accuracy, validation loss and accuracy, the learning rate of the epoch's last
// batch, and a histogram of every weight of every layer.
import { openSummaryWriter } from './summary-writer';
import type { TrainingObserver } from './training-observer';

export const TENSORBOARD_FOLDER = 'tensorboard';

export function tensorBoardObserver(logdir: string): TrainingObserver {
  // Flushed at every epoch end and at the close; the writer's own timer is a backstop.
  const writer = openSummaryWriter(logdir, 100, 10_000);
  let batchesPerEpoch = 1;
  let learningRate: number | null = null;
  return {
    onEvent(event) {
      if (event.kind === 'train-started') batchesPerEpoch = event.batchesPerEpoch;
      if (event.kind !== 'batch') return;
      const step = event.epoch * batchesPerEpoch + event.batch + 1;
      writer.scalar('batch/loss', event.loss, step);
      writer.scalar('batch/accuracy', event.accuracy, step);
      learningRate = event.learningRate;
    },
    onEpochEnd(event, model) {
      const step = event.epoch + 1;
      writer.scalar('epoch/loss', event.loss, step);
      writer.scalar('epoch/accuracy', event.accuracy, step);
      if (event.valLoss !== null) writer.scalar('epoch/val_loss', event.valLoss, step);
      if (event.valAccuracy !== null) writer.scalar('epoch/val_accuracy', event.valAccuracy, step);
      if (learningRate !== null) writer.scalar('epoch/learning_rate', learningRate, step);
      for (const layer of model.layers) {
        for (const weight of layer.weights) {
          // `c1/kernel`: the variable's name without tfjs' uniquifying suffix.
          const name = weight.originalName.replace(/_\d+$/, '');
          writer.histogram(`weights/${name}`, weight.read(), step);
        }
      }
      writer.flush();
    },
    close() {
      writer.close();
    },
  };
}
