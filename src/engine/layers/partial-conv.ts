// A convolution whose output maps each read a subset of the input maps: the paper's C3, with its
// connection table (Table I). Trained as a full kernel times a fixed 0/1 mask (forward and
// gradient), so its weights are exported as a plain Conv2D whose unconnected weights are zero.
// Counted, and initialised (±2.4/F_in), with the connected inputs only.
import * as tf from '@tensorflow/tfjs-node';
import { convLayerWeights, convNative, lecunLimit, referenceConv, type ConvSpec } from './conv';
import { tfActivation } from './activations';
import { foldLinear } from './fold';
import { shapeText, type LayerModule } from './layer-module';

export interface PartialConvSpec extends Omit<ConvSpec, 'kind'> {
  kind: 'partial-conv';
  /** table[o]: the input maps output map o reads. */
  table: number[][];
}

/** The paper's Table I: the S2 maps each C3 map reads — 60 connections. */
export const C3_TABLE: number[][] = [
  [0, 1, 2],
  [1, 2, 3],
  [2, 3, 4],
  [3, 4, 5],
  [0, 4, 5],
  [0, 1, 5],
  [0, 1, 2, 3],
  [1, 2, 3, 4],
  [2, 3, 4, 5],
  [0, 3, 4, 5],
  [0, 1, 4, 5],
  [0, 1, 2, 5],
  [0, 1, 3, 4],
  [1, 2, 4, 5],
  [0, 2, 3, 5],
  [0, 1, 2, 3, 4, 5],
];

/** The kernel's mask [k, k, c_in, c_out]: 1 where output map o reads input map i. */
export function connectionMask(spec: PartialConvSpec, inputMaps: number): number[][][][] {
  const k = spec.kernelSize;
  const row = Array.from({ length: inputMaps }, (_, i) =>
    spec.table.map((inputs) => (inputs.includes(i) ? 1 : 0)),
  );
  return Array.from({ length: k }, () => Array.from({ length: k }, () => row));
}

const asConv = (spec: PartialConvSpec): ConvSpec => ({ ...spec, kind: 'conv' });

function maskTensor(spec: PartialConvSpec, kernel: tf.Tensor): tf.Tensor {
  return tf.tensor4d(connectionMask(spec, kernel.shape[2] as number));
}

export const partialConv: LayerModule<PartialConvSpec, 'kernel' | 'bias'> = {
  kind: 'partial-conv',
  className: 'Conv2D',
  plan(spec, input) {
    const [h, w, c] = input as [number, number, number];
    const k = spec.kernelSize;
    if (input.length !== 3) throw new Error(`layer ${spec.name}: needs an image input`);
    if (spec.table.length !== spec.filters) {
      throw new Error(
        `layer ${spec.name}: the connection table has ${spec.table.length} rows for ${spec.filters} maps`,
      );
    }
    const widest = Math.max(...spec.table.flat());
    if (widest >= c) {
      throw new Error(
        `layer ${spec.name}: the connection table reads input map ${widest + 1} of ${c}; it needs ${widest + 1} input maps (use full connectivity for other widths)`,
      );
    }
    if (spec.padding === 'valid' && (h < k || w < k)) {
      throw new Error(
        `layer ${spec.name}: a ${k}×${k} convolution without padding needs at least ${k}×${k} input, got ${shapeText(input)}`,
      );
    }
    const output =
      spec.padding === 'same' ? [h, w, spec.filters] : [h - k + 1, w - k + 1, spec.filters];
    const connections = spec.table.reduce((sum, inputs) => sum + inputs.length, 0);
    const init = spec.init === 'lecun-1998' ? 'fan-in-uniform' : 'glorot-uniform';
    return {
      output,
      params: [
        {
          name: 'kernel',
          shape: [k, k, c, spec.filters],
          init,
          // Per output map: F_in is its connected inputs.
          ...(init === 'fan-in-uniform'
            ? { limits: spec.table.map((inputs) => lecunLimit(k * k * inputs.length)) }
            : {}),
          count: k * k * connections,
        },
        {
          name: 'bias',
          shape: [spec.filters],
          init: init === 'fan-in-uniform' ? 'fan-in-uniform' : 'zeros',
          ...(init === 'fan-in-uniform'
            ? { limits: spec.table.map((inputs) => lecunLimit(k * k * inputs.length)) }
            : {}),
        },
      ],
    };
  },
  tfLayer: (spec, ctx) => {
    const { table: _table, ...conv } = spec;
    void _table;
    return tf.layers.conv2d({
      ...(ctx.inputShape ? { inputShape: [...ctx.inputShape] } : {}),
      filters: conv.filters,
      kernelSize: conv.kernelSize,
      padding: conv.padding,
      activation: tfActivation(conv.activation),
      kernelInitializer: ctx.kernelInitializer(),
      name: spec.name,
    });
  },
  layerWeights: {
    applies: () => true,
    toParams: (spec, weights) => convLayerWeights.toParams(asConv(spec), weights),
    fromParams: (spec, { kernel, bias }) =>
      foldLinear(asConv(spec), kernel.mul(maskTensor(spec, kernel)), bias, [0, 1, 2]),
  },
  reference: (spec, x, { kernel, bias }) =>
    referenceConv(asConv(spec), x, kernel.mul(maskTensor(spec, kernel)), bias),
  native: convNative<PartialConvSpec>(connectionMask),
};
