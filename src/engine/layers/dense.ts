// Fully connected layer with bias and activation (tf.layers' Dense), on a vector input.
import * as tf from '@tensorflow/tfjs-node';
import {
  activationUnsupported,
  nativeActivation,
  referenceActivation,
  tfActivation,
  type LayerActivation,
} from './activations';
import { linearParams } from './conv';
import { foldLinear, needsFold, unfoldLinear, type InputMap } from './fold';
import { shapeText, type LayerModule } from './layer-module';

export interface DenseSpec {
  kind: 'dense';
  name: string;
  units: number;
  activation: LayerActivation;
  /** What the tf.layers layer before outputs, mapped to this layer's native input (fold.ts). */
  inputMap?: InputMap;
  /** The paper's initialisation, uniform in ±2.4/F_in; omitted: Glorot uniform, zero bias. */
  init?: 'lecun-1998';
}

type DenseParam = 'kernel' | 'bias';

export const dense: LayerModule<DenseSpec, DenseParam> = {
  kind: 'dense',
  className: 'Dense',
  plan(spec, input) {
    if (input.length !== 1) {
      throw new Error(
        `layer ${spec.name}: a dense layer needs a vector input (flatten first), got ${shapeText(input)}`,
      );
    }
    const n = input[0] as number;
    return {
      output: [spec.units],
      params: linearParams([n, spec.units], spec.units, spec.init, n),
    };
  },
  tfLayer: (spec, ctx) =>
    tf.layers.dense({
      ...(ctx.inputShape ? { inputShape: [...ctx.inputShape] } : {}),
      units: spec.units,
      activation: tfActivation(spec.activation),
      kernelInitializer: ctx.kernelInitializer(),
      name: spec.name,
    }),
  // Kernel [in, units]: the input axis is 0.
  layerWeights: {
    applies: needsFold,
    toParams(spec, [kernel, bias]) {
      const [w, b] = unfoldLinear(spec, kernel!, bias!, [0]);
      return { kernel: w, bias: b };
    },
    fromParams: (spec, { kernel, bias }) => foldLinear(spec, kernel, bias, [0]),
  },
  reference: (spec, x, { kernel, bias }) =>
    referenceActivation(spec.activation, tf.matMul(x, kernel).add(bias)),
  native: {
    unsupported: (spec) => activationUnsupported(spec.activation, spec.name),
    build(spec, { kit }) {
      const act = nativeActivation(spec.activation);
      return {
        absorbsNext: false,
        block: {
          forward(x, { kernel: w, bias: b }) {
            const z = kit.op('MatMul', kit.A.mmNN, [x, w]);
            const out = act.forward(kit, kit.op('BiasAdd', kit.A.bias, [z, b]));
            return {
              y: out,
              backward(dy, needDx) {
                const dz = act.grad(kit, out, dy);
                const bias = kit.biasGrad(dz);
                const kernel = kit.op('MatMul', kit.A.mmTN, [x, dz]);
                const dx = needDx ? kit.op('MatMul', kit.A.mmNT, [dz, w]) : null;
                return { dx, grads: { kernel, bias } };
              },
            };
          },
        },
      };
    },
  },
};
