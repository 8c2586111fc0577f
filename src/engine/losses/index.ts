// The loss registry: name → module. A new loss is its module plus one line here.
import type { LossModule } from './loss-module';
import { rbfCrossEntropy, rbfMse, rbfPaper } from './rbf-losses';
import { softmaxCrossEntropy } from './softmax-cross-entropy';

export const LOSSES = {
  'softmax-cross-entropy': softmaxCrossEntropy,
  'rbf-paper': rbfPaper,
  'rbf-mse': rbfMse,
  'rbf-cross-entropy': rbfCrossEntropy,
} as const satisfies Record<string, LossModule>;

export type LossName = keyof typeof LOSSES;
export type { LossModule } from './loss-module';
