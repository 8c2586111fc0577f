// The paper's trainable subsampling (S2, S4): each unit sums a 2×2 block of its map, multiplies
// by one trainable coefficient per map, adds one trainable bias per map, then squashes —
// 2 parameters per map. Exported exactly as a 2×2 stride-2 depthwise convolution whose four
// weights all equal the coefficient (constants folded, fold.ts).
import * as tf from '@tensorflow/tfjs-node';
import {
  activationUnsupported,
  nativeActivation,
  referenceActivation,
  tfActivation,
  type LayerActivation,
} from './activations';
import { lecunLimit } from './conv';
import { IDENTITY_MAP, innerOf, type InputMap } from './fold';
import { shapeText, type LayerModule, type Shape } from './layer-module';

export interface SubsampleSpec {
  kind: 'subsample';
  name: string;
  activation: LayerActivation;
  inputMap?: InputMap;
}

type SubsampleParam = 'coefficient' | 'bias';

export const subsampling: LayerModule<SubsampleSpec, SubsampleParam> = {
  kind: 'subsample',
  className: 'DepthwiseConv2D',
  plan(spec, input) {
    const [h, w, c] = input as [number, number, number];
    if (input.length !== 3 || h < 2 || w < 2) {
      throw new Error(
        `layer ${spec.name}: 2×2 subsampling needs an image of at least 2×2, got ${shapeText(input)}`,
      );
    }
    // Fan-in of a unit: its 4 inputs (the paper's initialisation, ±2.4/4).
    const limit = lecunLimit(4);
    return {
      output: [Math.floor(h / 2), Math.floor(w / 2), c],
      params: [
        { name: 'coefficient', shape: [c], init: 'fan-in-uniform', limit },
        { name: 'bias', shape: [c], init: 'fan-in-uniform', limit },
      ],
    };
  },
  tfLayer: (spec, ctx) =>
    tf.layers.depthwiseConv2d({
      ...(ctx.inputShape ? { inputShape: [...ctx.inputShape] } : {}),
      kernelSize: 2,
      strides: 2,
      depthMultiplier: 1,
      padding: 'valid',
      useBias: true,
      activation: tfActivation(spec.activation),
      name: spec.name,
    }),
  layerWeights: {
    applies: () => true,
    toParams(spec, [kernel, bias]) {
      const { scale, shift } = spec.inputMap ?? IDENTITY_MAP;
      const inner = innerOf(spec.activation);
      const c = kernel!.shape[2] as number;
      const coefficient = kernel!
        .slice([0, 0, 0, 0], [1, 1, c, 1])
        .reshape([c])
        .div(inner * scale);
      return { coefficient, bias: bias!.div(inner).sub(coefficient.mul(4 * shift)) };
    },
    fromParams(spec, { coefficient, bias }) {
      const { scale, shift } = spec.inputMap ?? IDENTITY_MAP;
      const inner = innerOf(spec.activation);
      const c = coefficient.shape[0] as number;
      const kernel = coefficient
        .mul(inner * scale)
        .reshape([1, 1, c, 1])
        .tile([2, 2, 1, 1]);
      return [kernel, bias.add(coefficient.mul(4 * shift)).mul(inner)];
    },
  },
  reference: (spec, x, { coefficient, bias }) =>
    referenceActivation(
      spec.activation,
      tf
        .avgPool(x as tf.Tensor4D, 2, 2, 'valid')
        .mul(4)
        .mul(coefficient)
        .add(bias),
    ),
  native: {
    unsupported: (spec) => activationUnsupported(spec.activation, spec.name),
    build(spec, { kit, input }) {
      const attrs = kit.A.pool(2, 2);
      const act = nativeActivation(spec.activation);
      const inputShape = (n: number) => kit.shape([n, ...(input as Shape)]);
      const four = kit.scalar(4);
      return {
        absorbsNext: false,
        block: {
          forward(x, { coefficient, bias }, n) {
            // The 2×2 sum is 4× TensorFlow's average pool.
            const s = kit.op('AvgPool', attrs, [x]);
            const g = kit.op('Mul', kit.A.t, [coefficient, four]);
            const y = act.forward(
              kit,
              kit.op('BiasAdd', kit.A.bias, [kit.op('Mul', kit.A.t, [s, g]), bias]),
            );
            return {
              y,
              backward(dy, needDx) {
                const dz = act.grad(kit, y, dy);
                const dBias = kit.biasGrad(dz);
                const dCoefficient = kit.op('Mul', kit.A.t, [
                  kit.biasGrad(kit.op('Mul', kit.A.t, [dz, s])),
                  four,
                ]);
                const dx = needDx
                  ? kit.op('AvgPoolGrad', attrs, [inputShape(n), kit.op('Mul', kit.A.t, [dz, g])])
                  : null;
                return { dx, grads: { coefficient: dCoefficient, bias: dBias } };
              },
            };
          },
        },
      };
    },
  },
};
