// Early stopping on validation loss (the option earlyStopPatience): after every epoch the
// validation loss is compared with the best so far; the best epoch's weights are kept aside, and
// once `patience` epochs in a row bring no lower loss the run ends and the model gets the best
// weights back (as Keras' EarlyStopping with restore_best_weights does).
import * as tf from '@tensorflow/tfjs-node';

export type EarlyStopVerdict = 'improved' | 'waiting' | 'stop';

export interface BestEpoch {
  epoch: number;
  valLoss: number;
}

/** The decision alone, over a sequence of validation losses: pure, tested with scripted curves. */
export class EarlyStopTracker {
  private bestSoFar: BestEpoch | null = null;
  private sinceBest = 0;

  constructor(readonly patience: number) {
    if (!Number.isInteger(patience) || patience < 1)
      throw new Error(`patience must be a whole number ≥ 1, not ${patience}`);
  }

  get best(): BestEpoch | null {
    return this.bestSoFar;
  }

  /** Epochs since the best one (0 right after an improvement). */
  get waited(): number {
    return this.sinceBest;
  }

  /** A NaN loss (a diverged model) never counts as an improvement. */
  observe(epoch: number, valLoss: number): EarlyStopVerdict {
    if (this.bestSoFar === null ? Number.isFinite(valLoss) : valLoss < this.bestSoFar.valLoss) {
      this.bestSoFar = { epoch, valLoss };
      this.sinceBest = 0;
      return 'improved';
    }
    this.sinceBest++;
    return this.sinceBest >= this.patience ? 'stop' : 'waiting';
  }
}

/**
 * A copy of a model's weights, held apart from the model (which goes on training). Clones
 * share nothing with the variables once those are assigned new values, so the copy stays the
 * epoch's; each new copy frees the last.
 */
export class WeightsCopy {
  private saved: tf.Tensor[] | null = null;

  get held(): boolean {
    return this.saved !== null;
  }

  take(model: tf.LayersModel): void {
    const next = tf.tidy(() => model.getWeights().map((w) => w.clone()));
    this.dispose();
    this.saved = next;
  }

  /** Gives the model the copied weights (setWeights copies them into its variables). */
  restoreInto(model: tf.LayersModel): void {
    if (!this.saved) throw new Error('no weights were kept to restore');
    model.setWeights(this.saved);
  }

  dispose(): void {
    if (this.saved) tf.dispose(this.saved);
    this.saved = null;
  }
}
