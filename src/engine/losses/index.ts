// The loss registry: name → module. A new loss is its module plus one line here.
import type { LossModule } from './loss-module';
import { softmaxCrossEntropy } from './softmax-cross-entropy';

export const LOSSES = {
  'softmax-cross-entropy': softmaxCrossEntropy,
} as const satisfies Record<string, LossModule>;

export type LossName = keyof typeof LOSSES;
export type { LossModule } from './loss-module';
