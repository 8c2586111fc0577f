// Zero padding of the image by `size` pixels on each side (tf.layers' ZeroPadding2D): MNIST's
// 28×28 to the paper's 32×32. With a pixel map (the paper's: background −0.1, ink 1.175, so
// mean ≈ 0 and variance ≈ 1), the native block outputs mapped pixels, the padding included
// (background); tf.layers pads the raw pixels and the next layer folds the map (fold.ts).
import * as tf from '@tensorflow/tfjs-node';
import type { InputMap } from './fold';
import { shapeText, type LayerModule } from './layer-module';

export interface PadSpec {
  kind: 'pad';
  name: string;
  size: number;
  /** pixel → scale·pixel + shift on the native path (the next layer folds it for tf.layers). */
  pixelMap?: InputMap;
}

/** The paper's mapping of [0, 1] pixels: background (0) → −0.1, ink (1) → 1.175. */
export const PAPER_PIXEL_MAP: InputMap = { scale: 1.275, shift: -0.1 };

function mapped(spec: PadSpec, x: tf.Tensor): tf.Tensor {
  const m = spec.pixelMap;
  return m ? x.mul(m.scale).add(m.shift) : x;
}

export const pad: LayerModule<PadSpec> = {
  kind: 'pad',
  className: 'ZeroPadding2D',
  plan(spec, input) {
    if (input.length !== 3) {
      throw new Error(`layer ${spec.name}: padding needs an image input, got ${shapeText(input)}`);
    }
    const [h, w, c] = input as [number, number, number];
    return { output: [h + 2 * spec.size, w + 2 * spec.size, c], params: [] };
  },
  tfLayer: (spec, ctx) =>
    tf.layers.zeroPadding2d({
      padding: spec.size,
      name: spec.name,
      ...(ctx.inputShape ? { inputShape: [...ctx.inputShape] } : {}),
    }),
  reference: (spec, x) => mapped(spec, tf.pad(x, paddings(spec.size))),
  native: {
    build(spec, { input }) {
      const [h, w, c] = input as [number, number, number];
      const p = spec.size;
      return {
        absorbsNext: false,
        block: {
          forward(x, _params, n) {
            const y = mapped(spec, tf.pad(x, paddings(p)));
            return {
              y,
              backward: (dy, needDx) => ({
                dx: needDx ? tf.slice(dy, [0, p, p, 0], [n, h, w, c]) : null,
                grads: {},
              }),
            };
          },
        },
      };
    },
  },
};

function paddings(p: number): Array<[number, number]> {
  return [
    [0, 0],
    [p, p],
    [p, p],
    [0, 0],
  ];
}
