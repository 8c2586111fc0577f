// Pooling: max or average over size×size windows with a stride, VALID padding (tf.layers'
// MaxPooling2D / AveragePooling2D). No parameters.
import * as tf from '@tensorflow/tfjs-node';
import { shapeText, type LayerModule, type Shape } from './layer-module';

export interface PoolSpec {
  kind: 'pool';
  name: string;
  mode: 'max' | 'avg';
  size: number;
  stride: number;
}

function outputSide(side: number, spec: PoolSpec): number {
  return Math.floor((side - spec.size) / spec.stride) + 1;
}

export const pooling: LayerModule<PoolSpec> = {
  kind: 'pool',
  className: 'Pooling2D',
  plan(spec, input) {
    const [h, w, c] = input as [number, number, number];
    if (input.length !== 3 || h < spec.size || w < spec.size) {
      throw new Error(
        `layer ${spec.name}: ${spec.size}×${spec.size} pooling needs an image of at least that size, got ${shapeText(input)}`,
      );
    }
    return { output: [outputSide(h, spec), outputSide(w, spec), c], params: [] };
  },
  tfLayer(spec, ctx) {
    const args = {
      poolSize: spec.size,
      strides: spec.stride,
      name: spec.name,
      ...(ctx.inputShape ? { inputShape: [...ctx.inputShape] } : {}),
    };
    return spec.mode === 'max' ? tf.layers.maxPooling2d(args) : tf.layers.averagePooling2d(args);
  },
  reference: (spec, x) =>
    spec.mode === 'max'
      ? tf.maxPool(x as tf.Tensor4D, spec.size, spec.stride, 'valid')
      : tf.avgPool(x as tf.Tensor4D, spec.size, spec.stride, 'valid'),
  native: {
    build(spec, { kit, input }) {
      const attrs = kit.A.pool(spec.size, spec.stride);
      const inputShape = (n: number) => kit.shape([n, ...(input as Shape)]);
      return {
        absorbsNext: false,
        block: {
          forward(x, _params, n) {
            if (spec.mode === 'max') {
              const pooled = kit.maxPool(x, spec.size, spec.stride);
              return {
                y: pooled.y,
                backward: (dy, needDx) => ({ dx: needDx ? pooled.grad(dy) : null, grads: {} }),
              };
            }
            return {
              y: kit.op('AvgPool', attrs, [x]),
              backward: (dy, needDx) => ({
                dx: needDx ? kit.op('AvgPoolGrad', attrs, [inputShape(n), dy]) : null,
                grads: {},
              }),
            };
          },
        },
      };
    },
  },
};
