// The contract every layer kind fulfils. A kind is one module (conv.ts, pooling.ts, …) with:
//   plan     shape inference and the parameters (names, shapes, initialisation) it owns;
//   tfLayer  its tf.layers expression, used for export and for the portable training path;
//   native   forward and hand-written backward with TensorFlow's kernels, or null when the
//            kind trains on the portable path only.
// The registry (index.ts) maps each kind to its module; the network compiler and the model
// builder only ever walk a list of specs through it.
import type * as tf from '@tensorflow/tfjs-node';
import type { NativeKit } from './native-kit';

/** A shape without the batch dimension: [h, w, c] for images, [n] for vectors. */
export type Shape = readonly number[];

/** What every layer spec has: its kind (the registry key) and a unique name. */
export interface BaseSpec {
  kind: string;
  name: string;
}

export interface ParamPlan<P extends string = string> {
  /** The weight's name in the layer (kernel, bias, …), also the name its gradient comes under. */
  name: P;
  shape: number[];
  /** 'fan-in-uniform': uniform in ±limit (the paper's ±2.4/F_in). */
  init: 'glorot-uniform' | 'zeros' | 'fan-in-uniform';
  limit?: number;
  /** Per index of the last axis (one output unit each), instead of `limit`. */
  limits?: number[];
  /** Entries that are trained, when not all are (a masked kernel's connected ones). */
  count?: number;
}

export interface LayerPlan<P extends string = string> {
  output: Shape;
  /** In the order tf.layers lists the layer's weights (so getWeights/setWeights line up). */
  params: Array<ParamPlan<P>>;
}

export interface PortableContext {
  /** Set for the first layer of a model only. */
  inputShape?: Shape;
  /** The next seeded kernel initializer (called once per layer that has a kernel, in order). */
  kernelInitializer(): ReturnType<typeof tf.initializers.glorotUniform>;
}

export interface NativeContext {
  kit: NativeKit;
  input: Shape;
  output: Shape;
}

/** What a block's backward pass returns: the gradient for its input and one per parameter. */
export interface Gradients<P extends string> {
  /** null when the caller said the input gradient is not needed (the first block). */
  dx: tf.Tensor | null;
  grads: Record<P, tf.Tensor>;
}

/** One forward evaluation, holding (typed, in its closure) what its backward pass needs. */
export interface Tape<P extends string> {
  y: tf.Tensor;
  backward(dy: tf.Tensor, needDx: boolean): Gradients<P>;
}

export interface NativeBlock<P extends string> {
  /** `n` is the batch size (shape constants of the backward pass depend on it). */
  forward(x: tf.Tensor, params: Record<P, tf.Tensor>, n: number): Tape<P>;
}

export interface NativeBuild<P extends string> {
  block: NativeBlock<P>;
  /** The block also computes the next spec (a fusion it declared); the compiler skips it. */
  absorbsNext: boolean;
}

export interface NativeLayer<S extends BaseSpec, P extends string> {
  /** Why this spec cannot run natively (e.g. an activation without a native kernel), or null. */
  unsupported?(spec: S): string | null;
  /** `next` is the following spec with its output shape, for fusions a module declares. */
  build(
    spec: S,
    ctx: NativeContext,
    next: { spec: BaseSpec; output: Shape } | null,
  ): NativeBuild<P>;
}

/**
 * How a kind's tf.layers expression holds its parameters when not as the plan lists them — e.g.
 * one trainable coefficient per map, exported as a depthwise 2×2 kernel of four equal weights.
 */
export interface LayerWeights<S extends BaseSpec, P extends string> {
  /** Whether this spec's tf.layers weights differ from its parameters (else they are the same). */
  applies(spec: S): boolean;
  /** The plan's parameters from the tf.layers layer's weights (new tensors). */
  toParams(spec: S, weights: tf.Tensor[]): Record<P, tf.Tensor>;
  /** The tf.layers layer's weights, in its order, from the plan's parameters. */
  fromParams(spec: S, params: Record<P, tf.Tensor>): tf.Tensor[];
}

export interface LayerModule<S extends BaseSpec, P extends string = never> {
  kind: S['kind'];
  /** The tf.layers class, for messages. */
  className: string;
  /** Output shape and parameters; throws a message naming the layer for shapes that cannot work. */
  plan(spec: S, input: Shape): LayerPlan<P>;
  tfLayer(spec: S, ctx: PortableContext): tf.layers.Layer;
  native: NativeLayer<S, P> | null;
  /** Omitted: the tf.layers layer's weights are the plan's parameters, in order. */
  layerWeights?: LayerWeights<S, P>;
  /**
   * The layer on tfjs tensors of its native parameters, differentiable: the autodiff reference
   * the native backward pass is checked against (for kinds whose tf.layers weights are folded),
   * and what an activations request computes layer by layer. Omitted: activations requests
   * apply the model's own tf.layers layer.
   */
  reference?(spec: S, x: tf.Tensor, params: Record<P, tf.Tensor>): tf.Tensor;
}

/** The spec type of a module. */
export type SpecOf<M> = M extends { plan(spec: infer S, input: Shape): unknown } ? S : never;

export const sizeOf = (shape: Shape): number => shape.reduce((a, b) => a * b, 1);
export const shapeText = (shape: Shape): string => shape.join('×');
