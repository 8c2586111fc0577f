// An optimisation a block may declare: a following max pool runs on the raw convolution, before
// the block's per-channel bias and activation. Exact, since max(f(x + b)) = f(max(x) + b) for a
// per-channel b and a non-decreasing f, and 4× less work for the bias, the activation and their
// gradients after a 2×2 pool. Declared with the activations it covers, which are checked here,
// where it is declared: a non-monotone activation makes the declaration itself fail.
import { ACTIVATION_TABLE, type LayerActivation } from './activations';
import type { BaseSpec } from './layer-module';
import type { PoolSpec } from './pooling';

export interface PoolBeforeBias {
  /** Whether `next` is a max pool the block may run before its bias and activation. */
  applies(activation: LayerActivation, next: BaseSpec | null): next is PoolSpec;
}

export function declarePoolBeforeBias(
  block: string,
  activations: readonly LayerActivation[],
): PoolBeforeBias {
  const bad = activations.filter((a) => !ACTIVATION_TABLE[a].monotone);
  if (bad.length > 0) {
    throw new Error(
      `${block}: pool-before-bias is exact only for monotone activations; ${bad.join(', ')} ` +
        `${bad.length === 1 ? 'is' : 'are'} not (max(f(x + b)) = f(max(x) + b) needs f non-decreasing)`,
    );
  }
  const covered = new Set(activations);
  return {
    applies: (activation, next): next is PoolSpec =>
      covered.has(activation) &&
      next !== null &&
      next.kind === 'pool' &&
      (next as PoolSpec).mode === 'max',
  };
}
