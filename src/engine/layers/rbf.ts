// The paper's output layer: 10 Euclidean RBF units, y_i = Σ_j (x_j − w_ij)², with FIXED ±1
// parameter vectors (the 7×12 bitmaps of rbf-prototypes.ts, drawn after the paper's Figure 3).
// The output is a penalty: the prediction is the smallest y_i, the probabilities softmax(−y).
// No trainable parameters. Exported exactly as a Dense layer with kernel 2W and bias −|w_i|²
// followed by softmax: −y_i = 2x·w_i − |w_i|² − |x|², and |x|² is common to every class.
import * as tf from '@tensorflow/tfjs-node';
import { NUM_CLASSES } from '../../shared/mnist-shape';
import { IDENTITY_MAP, type InputMap } from './fold';
import { shapeText, type LayerModule } from './layer-module';
import { PROTOTYPE_HEIGHT, PROTOTYPE_SIZE, PROTOTYPE_WIDTH, rbfPrototypes } from './rbf-prototypes';

export interface RbfSpec {
  kind: 'rbf';
  name: string;
  inputMap?: InputMap;
}

/** [10, 84]: one prototype per row. */
const prototypes = () => tf.tensor2d(rbfPrototypes());

export const rbf: LayerModule<RbfSpec> = {
  kind: 'rbf',
  className: 'Dense',
  plan(spec, input) {
    if (input.length !== 1 || input[0] !== PROTOTYPE_SIZE) {
      throw new Error(
        `layer ${spec.name}: the RBF output compares with ${PROTOTYPE_WIDTH}×${PROTOTYPE_HEIGHT} prototypes, so it needs ${PROTOTYPE_SIZE} inputs (F6 of 84 units), got ${shapeText(input)}`,
      );
    }
    return { output: [NUM_CLASSES], params: [] };
  },
  tfLayer: (spec, ctx) =>
    tf.layers.dense({
      ...(ctx.inputShape ? { inputShape: [...ctx.inputShape] } : {}),
      units: NUM_CLASSES,
      activation: 'softmax',
      trainable: false,
      kernelInitializer: 'zeros',
      name: spec.name,
    }),
  layerWeights: {
    applies: () => true,
    toParams: () => ({}),
    fromParams(spec) {
      const { scale, shift } = spec.inputMap ?? IDENTITY_MAP;
      const w = prototypes();
      // With x = scale·seen + shift: 2x·w − |w|² = (2·scale·w)·seen + 2·shift·Σw − |w|².
      const kernel = w.transpose().mul(2 * scale);
      const bias = w
        .sum(1)
        .mul(2 * shift)
        .sub(w.square().sum(1));
      return [kernel, bias];
    },
  },
  reference: (_spec, x) => x.expandDims(1).sub(prototypes().expandDims(0)).square().sum(2),
  native: {
    build(spec, { kit }) {
      const w = kit.constant('rbf/prototypes', prototypes);
      const ww = kit.constant('rbf/norms', () => prototypes().square().sum(1));
      return {
        absorbsNext: false,
        block: {
          forward(x) {
            // y = |x|² − 2x·Wᵀ + |w|²
            const xx = tf.sum(tf.square(x), 1, true);
            const xw = kit.op('MatMul', kit.A.mmNT, [x, w]);
            const y = tf.add(tf.sub(xx, tf.mul(xw, 2)), ww);
            return {
              y,
              backward(dy, needDx) {
                // dx = 2·(x·Σ_i dy_i − dy·W)
                const dx = needDx
                  ? tf.mul(
                      tf.sub(tf.mul(x, tf.sum(dy, 1, true)), kit.op('MatMul', kit.A.mmNN, [dy, w])),
                      2,
                    )
                  : null;
                return { dx, grads: {} };
              },
            };
          },
        },
      };
    },
  },
};
