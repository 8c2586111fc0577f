// 2-D convolution, stride 1, square kernel, with bias and activation (tf.layers' Conv2D).
// Declares the pool-before-bias shortcut: a following max pool runs before bias and activation.
import * as tf from '@tensorflow/tfjs-node';
import {
  activationUnsupported,
  nativeActivation,
  referenceActivation,
  tfActivation,
  type LayerActivation,
} from './activations';
import { foldLinear, needsFold, unfoldLinear, type InputMap } from './fold';
import type { LayerModule, LayerWeights, NativeLayer, ParamPlan, Shape } from './layer-module';
import { shapeText } from './layer-module';
import { declarePoolBeforeBias } from './pool-before-bias';

export interface ConvSpec {
  kind: 'conv';
  name: string;
  filters: number;
  kernelSize: number;
  padding: 'same' | 'valid';
  activation: LayerActivation;
  /** What the tf.layers layer before outputs, mapped to this layer's native input (fold.ts). */
  inputMap?: InputMap;
  /** The paper's initialisation, uniform in ±2.4/F_in; omitted: Glorot uniform, zero bias. */
  init?: 'lecun-1998';
}

type ConvParam = 'kernel' | 'bias';

/** The paper's initialisation limit for a unit with `fanIn` inputs. */
export const lecunLimit = (fanIn: number) => 2.4 / fanIn;

/** Kernel and bias plans of a conv or dense layer (`fanIn`: connected inputs of one unit). */
export function linearParams(
  kernel: number[],
  units: number,
  init: 'lecun-1998' | undefined,
  fanIn: number,
): Array<ParamPlan<ConvParam>> {
  if (init === 'lecun-1998') {
    const limit = lecunLimit(fanIn);
    return [
      { name: 'kernel', shape: kernel, init: 'fan-in-uniform', limit },
      { name: 'bias', shape: [units], init: 'fan-in-uniform', limit },
    ];
  }
  return [
    { name: 'kernel', shape: kernel, init: 'glorot-uniform' },
    { name: 'bias', shape: [units], init: 'zeros' },
  ];
}

/** Conv weights folded for tf.layers (kernel [k, k, c_in, c_out]: sums over axes 0–2). */
export const convLayerWeights: LayerWeights<ConvSpec, ConvParam> = {
  applies: needsFold,
  toParams(spec, [kernel, bias]) {
    const [w, b] = unfoldLinear(spec, kernel!, bias!, [0, 1, 2]);
    return { kernel: w, bias: b };
  },
  fromParams: (spec, { kernel, bias }) => foldLinear(spec, kernel, bias, [0, 1, 2]),
};

export function referenceConv(
  spec: ConvSpec,
  x: tf.Tensor,
  kernel: tf.Tensor,
  bias: tf.Tensor,
): tf.Tensor {
  const c = tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, 1, spec.padding);
  return referenceActivation(spec.activation, c.add(bias));
}

const POOL_BEFORE_BIAS = declarePoolBeforeBias('conv', ['relu', 'tanh', 'sigmoid', 'linear']);

export const conv: LayerModule<ConvSpec, ConvParam> = {
  kind: 'conv',
  className: 'Conv2D',
  plan(spec, input) {
    const [h, w, c] = input as [number, number, number];
    const k = spec.kernelSize;
    if (input.length !== 3) throw new Error(`layer ${spec.name}: needs an image input`);
    if (spec.padding === 'valid' && (h < k || w < k)) {
      throw new Error(
        `layer ${spec.name}: a ${k}×${k} convolution without padding needs at least ${k}×${k} input, got ${shapeText(input)}`,
      );
    }
    const output =
      spec.padding === 'same' ? [h, w, spec.filters] : [h - k + 1, w - k + 1, spec.filters];
    return {
      output,
      params: linearParams([k, k, c, spec.filters], spec.filters, spec.init, k * k * c),
    };
  },
  tfLayer(spec, ctx) {
    return tf.layers.conv2d({
      ...(ctx.inputShape ? { inputShape: [...ctx.inputShape] } : {}),
      filters: spec.filters,
      kernelSize: spec.kernelSize,
      padding: spec.padding,
      activation: tfActivation(spec.activation),
      kernelInitializer: ctx.kernelInitializer(),
      name: spec.name,
    });
  },
  layerWeights: convLayerWeights,
  reference: (spec, x, { kernel, bias }) => referenceConv(spec, x, kernel, bias),
  native: convNative(null),
};

/**
 * The native conv block; with a `mask` (same shape as the kernel, 1 where connected), the
 * kernel is masked in the forward pass and its gradient masked too (partial connections).
 */
export function convNative<S extends Omit<ConvSpec, 'kind'> & { kind: string }>(
  maskOf: ((spec: S, inputMaps: number) => number[][][][]) | null,
): NativeLayer<S, ConvParam> {
  return {
    unsupported: (spec) => activationUnsupported(spec.activation, spec.name),
    build(spec, { kit, input }, next) {
      const attrs = kit.A.conv(spec.padding === 'same' ? 'SAME' : 'VALID');
      const mask = maskOf
        ? kit.constant(`mask/${spec.name}`, () => tf.tensor4d(maskOf(spec, input[2] as number)))
        : null;
      const masked = (w: tf.Tensor) => (mask ? kit.op('Mul', kit.A.t, [w, mask]) : w);
      const act = nativeActivation(spec.activation);
      const kernelShape = () =>
        kit.shape([spec.kernelSize, spec.kernelSize, input[2] as number, spec.filters]);
      const inputShape = (n: number) => kit.shape([n, ...(input as Shape)]);
      /** The kernel's and the input's gradients from the gradient at the convolution output. */
      const convGrads = (
        x: tf.Tensor,
        w: tf.Tensor,
        dc: tf.Tensor,
        n: number,
        needDx: boolean,
      ) => ({
        kernel: masked(kit.op('Conv2DBackpropFilter', attrs, [x, kernelShape(), dc])),
        dx: needDx ? kit.op('Conv2DBackpropInput', attrs, [inputShape(n), w, dc]) : null,
      });

      const pool = next?.spec ?? null;
      if (POOL_BEFORE_BIAS.applies(spec.activation, pool)) {
        return {
          absorbsNext: true,
          block: {
            forward(x, { kernel, bias: b }, n) {
              const w = masked(kernel);
              const c = kit.op('Conv2D', attrs, [x, w]);
              const pooled = kit.maxPool(c, pool.size, pool.stride);
              const out = act.forward(kit, kit.op('BiasAdd', kit.A.bias, [pooled.y, b]));
              return {
                y: out,
                backward(dy, needDx) {
                  const dq = act.grad(kit, out, dy);
                  const bias = kit.biasGrad(dq);
                  const dc = pooled.grad(dq);
                  const { kernel, dx } = convGrads(x, w, dc, n, needDx);
                  return { dx, grads: { kernel, bias } };
                },
              };
            },
          },
        };
      }
      return {
        absorbsNext: false,
        block: {
          forward(x, { kernel, bias: b }, n) {
            const w = masked(kernel);
            const c = kit.op('Conv2D', attrs, [x, w]);
            const h = act.forward(kit, kit.op('BiasAdd', kit.A.bias, [c, b]));
            return {
              y: h,
              backward(dy, needDx) {
                const dc = act.grad(kit, h, dy);
                const bias = kit.biasGrad(dc);
                const { kernel, dx } = convGrads(x, w, dc, n, needDx);
                return { dx, grads: { kernel, bias } };
              },
            };
          },
        },
      };
    },
  };
}
