// Exact re-expression of the 1998 constants with built-in tf.layers. Natively every block works
// in the paper's values; the exported tf.layers model does not have the paper's squashing
// function nor its pixel mapping, so each of its layers outputs a value `seen` of which the
// paper's is an affine map, true = scale·seen + shift:
//   - after a scaled tanh, tf.layers outputs tanh(inner·a): scale = 1.7159, shift = 0;
//   - after the 32×32 padding, tf.layers outputs raw [0,1] pixels: scale = 1.275, shift = −0.1.
// The next weighted layer folds that map into its own weights (W·(s·x + c) + b = (s·W)·x +
// (b + c·ΣW)), and a scaled tanh of its own folds `inner` into them too. Parameter-free layers
// between (pooling, flatten) commute with a positive affine map, so it passes through them.
import type * as tf from '@tensorflow/tfjs-node';
import { ACTIVATION_TABLE, type LayerActivation } from './activations';

/** true = scale·seen + shift, where `seen` is what the tf.layers layer before outputs. */
export interface InputMap {
  scale: number;
  shift: number;
}

export const IDENTITY_MAP: InputMap = { scale: 1, shift: 0 };

export interface Foldable {
  activation: LayerActivation;
  inputMap?: InputMap;
}

/** The factor tf.layers applies before the activation it has (2/3 for scaled tanh, else 1). */
export const innerOf = (act: LayerActivation): number => ACTIVATION_TABLE[act].fold?.inner ?? 1;

/** The map of what this layer's tf.layers expression outputs to what it computes natively. */
export const outputMapOf = (act: LayerActivation): InputMap => ({
  scale: ACTIVATION_TABLE[act].fold?.outer ?? 1,
  shift: 0,
});

/** Whether the layer's tf.layers weights differ from its native parameters. */
export function needsFold(spec: Foldable): boolean {
  const m = spec.inputMap ?? IDENTITY_MAP;
  return m.scale !== 1 || m.shift !== 0 || innerOf(spec.activation) !== 1;
}

/**
 * A linear layer's tf.layers kernel and bias from its native ones. `sumAxes` are the kernel's
 * input axes (the bias picks up shift·Σ over them).
 */
export function foldLinear(
  spec: Foldable,
  kernel: tf.Tensor,
  bias: tf.Tensor,
  sumAxes: number[],
): [tf.Tensor, tf.Tensor] {
  const { scale, shift } = spec.inputMap ?? IDENTITY_MAP;
  const inner = innerOf(spec.activation);
  const b = shift === 0 ? bias : bias.add(kernel.sum(sumAxes).mul(shift));
  return [kernel.mul(inner * scale), b.mul(inner)];
}

/** The inverse of foldLinear: native kernel and bias from the tf.layers ones. */
export function unfoldLinear(
  spec: Foldable,
  kernel: tf.Tensor,
  bias: tf.Tensor,
  sumAxes: number[],
): [tf.Tensor, tf.Tensor] {
  const { scale, shift } = spec.inputMap ?? IDENTITY_MAP;
  const inner = innerOf(spec.activation);
  const w = kernel.div(inner * scale);
  const b = bias.div(inner);
  return [w, shift === 0 ? b : b.sub(w.sum(sumAxes).mul(shift))];
}
