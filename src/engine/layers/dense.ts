// Fully connected layer with bias and activation (tf.layers' Dense), on a vector input.
import * as tf from '@tensorflow/tfjs-node';
import { activationUnsupported, nativeActivation, type LayerActivation } from './activations';
import { portableActivation } from './portable-activation';
import { shapeText, type LayerModule } from './layer-module';

export interface DenseSpec {
  kind: 'dense';
  name: string;
  units: number;
  activation: LayerActivation;
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
    return {
      output: [spec.units],
      params: [
        { name: 'kernel', shape: [input[0] as number, spec.units], init: 'glorot-uniform' },
        { name: 'bias', shape: [spec.units], init: 'zeros' },
      ],
    };
  },
  tfLayer: (spec, ctx) =>
    tf.layers.dense({
      ...(ctx.inputShape ? { inputShape: [...ctx.inputShape] } : {}),
      units: spec.units,
      activation: spec.activation,
      kernelInitializer: ctx.kernelInitializer(),
      name: spec.name,
    }),
  forward: (spec, x, { kernel, bias }) =>
    portableActivation(
      spec.activation,
      tf.matMul(x as tf.Tensor2D, kernel as tf.Tensor2D).add(bias),
    ),
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
                const bias = kit.op('BiasAddGrad', kit.A.bias, [dz]);
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
