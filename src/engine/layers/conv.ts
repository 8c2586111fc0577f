// 2-D convolution, stride 1, square kernel, with bias and activation (tf.layers' Conv2D).
// Declares the pool-before-bias shortcut: a following max pool runs before bias and activation.
import * as tf from '@tensorflow/tfjs-node';
import { activationUnsupported, nativeActivation, type LayerActivation } from './activations';
import { portableActivation } from './portable-activation';
import { shapeText, type LayerModule, type Shape } from './layer-module';
import { declarePoolBeforeBias } from './pool-before-bias';

export interface ConvSpec {
  kind: 'conv';
  name: string;
  filters: number;
  kernelSize: number;
  padding: 'same' | 'valid';
  activation: LayerActivation;
}

type ConvParam = 'kernel' | 'bias';

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
      params: [
        { name: 'kernel', shape: [k, k, c, spec.filters], init: 'glorot-uniform' },
        { name: 'bias', shape: [spec.filters], init: 'zeros' },
      ],
    };
  },
  tfLayer(spec, ctx) {
    return tf.layers.conv2d({
      ...(ctx.inputShape ? { inputShape: [...ctx.inputShape] } : {}),
      filters: spec.filters,
      kernelSize: spec.kernelSize,
      padding: spec.padding,
      activation: spec.activation,
      kernelInitializer: ctx.kernelInitializer(),
      name: spec.name,
    });
  },
  forward: (spec, x, { kernel, bias }) =>
    portableActivation(
      spec.activation,
      tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, 1, spec.padding).add(bias),
    ),
  native: {
    unsupported: (spec) => activationUnsupported(spec.activation, spec.name),
    build(spec, { kit, input }, next) {
      const attrs = kit.A.conv(spec.padding === 'same' ? 'SAME' : 'VALID');
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
        kernel: kit.op('Conv2DBackpropFilter', attrs, [x, kernelShape(), dc]),
        dx: needDx ? kit.op('Conv2DBackpropInput', attrs, [inputShape(n), w, dc]) : null,
      });

      const pool = next?.spec ?? null;
      if (POOL_BEFORE_BIAS.applies(spec.activation, pool)) {
        const poolAttrs = kit.A.pool(pool.size, pool.stride);
        return {
          absorbsNext: true,
          block: {
            forward(x, { kernel: w, bias: b }, n) {
              const c = kit.op('Conv2D', attrs, [x, w]);
              const q = kit.op('MaxPool', poolAttrs, [c]);
              const out = act.forward(kit, kit.op('BiasAdd', kit.A.bias, [q, b]));
              return {
                y: out,
                backward(dy, needDx) {
                  const dq = act.grad(kit, out, dy);
                  const bias = kit.op('BiasAddGrad', kit.A.bias, [dq]);
                  const dc = kit.op('MaxPoolGrad', poolAttrs, [c, q, dq]);
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
          forward(x, { kernel: w, bias: b }, n) {
            const c = kit.op('Conv2D', attrs, [x, w]);
            const h = act.forward(kit, kit.op('BiasAdd', kit.A.bias, [c, b]));
            return {
              y: h,
              backward(dy, needDx) {
                const dc = act.grad(kit, h, dy);
                const bias = kit.op('BiasAddGrad', kit.A.bias, [dc]);
                const { kernel, dx } = convGrads(x, w, dc, n, needDx);
                return { dx, grads: { kernel, bias } };
              },
            };
          },
        },
      };
    },
  },
};
