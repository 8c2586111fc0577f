// The activations a conv or dense block can end with. Activation is a field of those blocks,
// not a block of its own: the native path fuses bias, activation and their gradients (the
// gradient of relu/tanh/sigmoid is computed from the block's output, which the block keeps
// anyway), the exported topology stays Conv2D/Dense with an `activation` (as every earlier
// export and checkpoint has it), and the pool-before-bias shortcut needs bias and activation
// inside the block that declares it.
import type * as tf from '@tensorflow/tfjs-node';
import type { ActivationName } from '../../shared/training-options';
import type { NativeKit } from './native-kit';

/** What a spec may name: the options' hidden activations, plus linear and the output softmax. */
export type LayerActivation = ActivationName | 'linear' | 'softmax';

export interface ActivationEntry {
  /** Non-decreasing elementwise: max pooling commutes with it. */
  monotone: boolean;
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
