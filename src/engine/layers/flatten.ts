// Flatten: an image [h, w, c] to a vector [h·w·c] (tf.layers' Flatten). No parameters.
import * as tf from '@tensorflow/tfjs-node';
import { sizeOf, type LayerModule } from './layer-module';

export interface FlattenSpec {
  kind: 'flatten';
  name: string;
}

export const flatten: LayerModule<FlattenSpec> = {
  kind: 'flatten',
  className: 'Flatten',
  plan: (_spec, input) => ({ output: [sizeOf(input)], params: [] }),
  tfLayer: (spec, ctx) =>
    tf.layers.flatten({
      name: spec.name,
      ...(ctx.inputShape ? { inputShape: [...ctx.inputShape] } : {}),
    }),
  forward: (_spec, x) => x.reshape([x.shape[0] as number, -1]),
  native: {
    build(_spec, { kit, input }) {
      return {
        absorbsNext: false,
        block: {
          forward(x) {
            const y = kit.op('Reshape', kit.A.reshape, [x, kit.shape([-1, sizeOf(input)])]);
            return {
              y,
              backward: (dy, needDx) => ({
                dx: needDx
                  ? kit.op('Reshape', kit.A.reshape, [dy, kit.shape([-1, ...input])])
                  : null,
                grads: {},
              }),
            };
          },
        },
      };
    },
  },
};
