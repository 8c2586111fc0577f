// The activations a conv or dense block can end with. Activation is a field of those blocks,
// not a block of its own: the native path fuses bias, activation and their gradients (the
// gradient of relu/tanh/sigmoid is computed from the block's output, which the block keeps
// anyway), the exported topology stays Conv2D/Dense with an `activation` (as every earlier
// export and checkpoint has it), and the pool-before-bias shortcut needs bias and activation
// inside the block that declares it.
import * as tf from '@tensorflow/tfjs-node';
import type { ActivationName } from '../../shared/training-options';
import type { NativeKit } from './native-kit';

export const SCALED_TANH_INNER = 2 / 3;
export const SCALED_TANH_OUTER = 1.7159;

/** What a spec may name: the options' hidden activations, plus linear and the output softmax. */
export type LayerActivation = ActivationName | 'linear' | 'softmax';

export interface ActivationEntry {
  /** Non-decreasing elementwise: max pooling commutes with it. */
  monotone: boolean;
  /**
   * For an activation tf.layers does not have, how it is re-expressed exactly with one it has:
   * f(a) = outer·g(inner·a), `inner` folded into the layer's own weights and `outer` into the
   * next weighted layer's (see fold.ts).
   */
  fold?: { as: 'tanh'; inner: number; outer: number };
  /** Native forward and gradient (from the output y), or null: no elementwise native kernel. */
  native: {
    forward(k: NativeKit, x: tf.Tensor): tf.Tensor;
    grad(k: NativeKit, y: tf.Tensor, dy: tf.Tensor): tf.Tensor;
  } | null;
}

export const ACTIVATION_TABLE: Record<LayerActivation, ActivationEntry> = {
  relu: {
    monotone: true,
    native: {
      forward: (k, x) => k.op('Relu', k.A.t, [x]),
      grad: (k, y, dy) => k.op('ReluGrad', k.A.t, [dy, y]),
    },
  },
  tanh: {
    monotone: true,
    native: {
      forward: (k, x) => k.op('Tanh', k.A.t, [x]),
      grad: (k, y, dy) => k.op('TanhGrad', k.A.t, [y, dy]),
    },
  },
  sigmoid: {
    monotone: true,
    native: {
      forward: (k, x) => k.op('Sigmoid', k.A.t, [x]),
      grad: (k, y, dy) => k.op('SigmoidGrad', k.A.t, [y, dy]),
    },
  },
  // LeCun's squashing function (1998, Appendix A): f(a) = 1.7159·tanh(2a/3), so f(±1) = ±1.
  'scaled-tanh': {
    monotone: true,
    fold: { as: 'tanh', inner: SCALED_TANH_INNER, outer: SCALED_TANH_OUTER },
    native: {
      forward: (k, x) =>
        k.op('Mul', k.A.t, [
          k.op('Tanh', k.A.t, [k.op('Mul', k.A.t, [x, k.scalar(SCALED_TANH_INNER)])]),
          k.scalar(SCALED_TANH_OUTER),
        ]),
      // f'(a) = inner·outer·(1 − t²) with t = y / outer.
      grad: (k, y, dy) =>
        k.op('Mul', k.A.t, [
          k.op('TanhGrad', k.A.t, [k.op('Mul', k.A.t, [y, k.scalar(1 / SCALED_TANH_OUTER)]), dy]),
          k.scalar(SCALED_TANH_INNER * SCALED_TANH_OUTER),
        ]),
    },
  },
  linear: { monotone: true, native: { forward: (_k, x) => x, grad: (_k, _y, dy) => dy } },
  // Not elementwise: natively it only exists fused into a loss (see losses/).
  softmax: { monotone: false, native: null },
};

/** Why an activation has no native kernel here, or null. */
export function activationUnsupported(act: LayerActivation, layer: string): string | null {
  return ACTIVATION_TABLE[act].native
    ? null
    : `layer ${layer}: activation ${act} is not supported here`;
}

export function nativeActivation(act: LayerActivation) {
  const native = ACTIVATION_TABLE[act].native;
  if (!native) throw new Error(`activation ${act} has no native kernel`);
  return native;
}

/** The activation name tf.layers knows for `act` (scaled tanh is exported as folded tanh). */
export function tfActivation(
  act: LayerActivation,
): 'relu' | 'tanh' | 'sigmoid' | 'linear' | 'softmax' {
  return ACTIVATION_TABLE[act].fold?.as ?? (act as Exclude<LayerActivation, 'scaled-tanh'>);
}

/** The activation on tfjs tensors, differentiable (the autodiff reference of the native path). */
export function referenceActivation(act: LayerActivation, x: tf.Tensor): tf.Tensor {
  switch (act) {
    case 'relu':
      return tf.relu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'scaled-tanh':
      return tf.tanh(x.mul(SCALED_TANH_INNER)).mul(SCALED_TANH_OUTER);
    case 'softmax':
      return tf.softmax(x);
    case 'linear':
      return x;
  }
}
