// The presets: each is a list of layer specs (built from the run's options) plus its input
// shape and its loss; the option defaults a preset brings are in src/shared/training-options.ts
// (PRESET_DEFAULTS), where the schema, the CLI and the form read them. Nothing here assumes convolutions-then-dense:
// the compiler and the model builder walk whatever list a preset gives through the registry.
import { MNIST_INPUT_SHAPE, NUM_CLASSES } from '../shared/mnist-shape';
import type { TrainingConfig } from '../shared/training-config';
import { TRAINING_DEFAULTS, type ModelPreset, type PoolingName } from '../shared/training-options';
import type { LayerActivation } from './layers/activations';
import { planLayers, type LayerSpec, type PlannedLayer } from './layers';
import { IDENTITY_MAP, outputMapOf, type InputMap } from './layers/fold';
import type { Shape } from './layers/layer-module';
import { PAPER_PIXEL_MAP } from './layers/pad';
import { C3_TABLE } from './layers/partial-conv';
import type { LossName } from './losses';

/** What a preset's layers depend on. The 1998 switches are optional for older callers. */
export type ArchitectureOptions = Pick<
  TrainingConfig,
  'model' | 'activation' | 'pooling' | 'dropout'
> &
  Partial<
    Pick<TrainingConfig, 'c3' | 'output' | 'loss' | 'input' | 'c1Maps' | 'c3Maps' | 'f6Units'>
  >;

export interface Preset {
  input: Shape;
  loss: LossName;
  layers(options: ArchitectureOptions): LayerSpec[];
  /** The input and loss when they depend on the options (the LeNet-5 family). */
  inputFor?(options: ArchitectureOptions): Shape;
  lossFor?(options: ArchitectureOptions): LossName;
}

export interface Architecture {
  preset: ModelPreset;
  input: Shape;
  loss: LossName;
  layers: LayerSpec[];
}

const conv = (
  name: string,
  filters: number,
  padding: 'same' | 'valid',
  activation: LayerActivation,
): LayerSpec => ({ kind: 'conv', name, filters, kernelSize: 5, padding, activation });
/** 2×2 stride-2 pooling, or the paper's trainable subsampling (squashed with `activation`). */
const pool = (name: string, mode: PoolingName, activation: LayerActivation): LayerSpec =>
  mode === 'subsampling'
    ? { kind: 'subsample', name, activation }
    : { kind: 'pool', name, mode, size: 2, stride: 2 };
const dense = (name: string, units: number, activation: LayerActivation): LayerSpec => ({
  kind: 'dense',
  name,
  units,
  activation,
});
/** Dropout after a hidden dense layer, only when a rate is set. */
const drop = (name: string, rate: number): LayerSpec[] =>
  rate > 0 ? [{ kind: 'dropout', name, rate }] : [];
const flatten: LayerSpec = { kind: 'flatten', name: 'flatten' };
const softmaxOutput = dense('output', NUM_CLASSES, 'softmax');

export const PRESETS: Record<ModelPreset, Preset> = {
  lenet5: {
    input: MNIST_INPUT_SHAPE,
    loss: 'softmax-cross-entropy',
    layers: ({ activation: a, pooling: p, dropout: d }) => [
      conv('c1', 6, 'same', a),
      pool('s2', p, a),
      conv('c3', 16, 'valid', a),
      pool('s4', p, a),
      flatten,
      dense('c5', 120, a),
      ...drop('drop5', d),
      dense('f6', 84, a),
      ...drop('drop6', d),
      softmaxOutput,
    ],
  },
  'lenet-caffe': {
    input: MNIST_INPUT_SHAPE,
    loss: 'softmax-cross-entropy',
    layers: ({ activation: a, pooling: p, dropout: d }) => [
      conv('conv1', 20, 'valid', a),
      pool('pool1', p, a),
      conv('conv2', 50, 'valid', a),
      pool('pool2', p, a),
      flatten,
      dense('ip1', 500, a),
      ...drop('drop1', d),
      softmaxOutput,
    ],
  },
  'lenet5-1998': {
    input: MNIST_INPUT_SHAPE,
    loss: 'softmax-cross-entropy',
    inputFor: familyInput,
    lossFor: familyLoss,
    layers: (o) => lenet5Family(o, true),
  },
  'lenet5-classic': {
    input: MNIST_INPUT_SHAPE,
    loss: 'softmax-cross-entropy',
    inputFor: familyInput,
    lossFor: familyLoss,
    layers: (o) => lenet5Family(o, false),
  },
  'lenet-dense128': {
    input: MNIST_INPUT_SHAPE,
    loss: 'softmax-cross-entropy',
    layers: ({ activation: a, pooling: p, dropout: d }) => [
      conv('c1', 6, 'same', a),
      pool('s2', p, a),
      conv('c3', 16, 'valid', a),
      pool('s4', p, a),
      flatten,
      dense('f5', 128, a),
      ...drop('drop5', d),
      softmaxOutput,
    ],
  },
};

/** Every preset's input is MNIST's 28×28: the 32×32 of the paper is a padding layer. */
function familyInput(): Shape {
  return MNIST_INPUT_SHAPE;
}

function familyLoss(o: ArchitectureOptions): LossName {
  const loss = o.loss ?? TRAINING_DEFAULTS.loss;
  if ((o.output ?? 'softmax') === 'softmax') {
    if (loss !== 'cross-entropy') {
      throw new Error(
        `the ${loss === 'paper' ? "paper's criterion" : 'MSE to the target prototype'} needs the RBF output (--output rbf)`,
      );
    }
    return 'softmax-cross-entropy';
  }
  return loss === 'paper' ? 'rbf-paper' : loss === 'mse' ? 'rbf-mse' : 'rbf-cross-entropy';
}

/**
 * LeNet-5 as LeCun et al. built it in 1998 (`paper` true: the paper's pixel mapping and its
 * ±2.4/F_in initialisation) and its classic variant, every 1998 choice a switch:
 * input  → [pad 2 → 32×32] → C1 5×5 → S2 → C3 5×5 (table or full) → S4 → C5 5×5 conv (120)
 *        → F6 (84) → RBF or softmax.
 * With a 28×28 input C1 pads ('same'), so S4 is 5×5 either way and C5 covers it exactly.
 */
function lenet5Family(o: ArchitectureOptions, paper: boolean): LayerSpec[] {
  const a = o.activation;
  const c1Maps = o.c1Maps ?? 6;
  const c3Maps = o.c3Maps ?? 16;
  const f6Units = o.f6Units ?? 84;
  const padded = (o.input ?? '28') === '32-padded';
  const table = (o.c3 ?? 'full') === 'table';
  const rbf = (o.output ?? 'softmax') === 'rbf';
  if (table && (c1Maps !== 6 || c3Maps !== 16)) {
    throw new Error(
      `the paper's C3 connection table links 6 S2 maps to 16 C3 maps; with C1 of ${c1Maps} and C3 of ${c3Maps} maps use --c3 full`,
    );
  }
  if (rbf && f6Units !== 84) {
    throw new Error(
      `the RBF output compares F6 with 7×12 prototypes, so F6 needs 84 units, not ${f6Units} (or use --output softmax)`,
    );
  }
  const init = paper ? ({ init: 'lecun-1998' } as const) : {};
  const withInit = (spec: LayerSpec) => ({ ...spec, ...init }) as LayerSpec;
  const c3 = withInit(conv('c3', c3Maps, 'valid', a));
  return [
    ...(padded
      ? [
          {
            kind: 'pad',
            name: 'pad',
            size: 2,
            ...(paper ? { pixelMap: PAPER_PIXEL_MAP } : {}),
          } as LayerSpec,
        ]
      : []),
    withInit(conv('c1', c1Maps, padded ? 'valid' : 'same', a)),
    pool('s2', o.pooling, a),
    table ? ({ ...c3, kind: 'partial-conv', table: C3_TABLE } as LayerSpec) : c3,
    pool('s4', o.pooling, a),
    withInit(conv('c5', 120, 'valid', a)),
    flatten,
    withInit(dense('f6', f6Units, a)),
    ...drop('drop6', o.dropout),
    rbf ? { kind: 'rbf', name: 'output' } : withInit(softmaxOutput),
  ];
}

/**
 * Gives each weighted layer the map from what the tf.layers layer before it outputs to the
 * native values it reads (fold.ts): the pixel mapping after the padding, 1.7159 after a scaled
 * tanh, carried through the parameter-free layers (pooling, flatten, dropout commute with a
 * positive affine map). Identity everywhere for presets without either.
 */
export function withInputMaps(specs: readonly LayerSpec[]): LayerSpec[] {
  let map: InputMap = IDENTITY_MAP;
  return specs.map((spec) => {
    if (spec.kind === 'pad') {
      map = spec.pixelMap ?? map;
      return spec;
    }
    const weighted = 'activation' in spec || spec.kind === 'rbf';
    if (!weighted) return spec;
    const mapped = map.scale !== 1 || map.shift !== 0;
    const out = mapped ? ({ ...spec, inputMap: map } as LayerSpec) : spec;
    map = 'activation' in spec ? outputMapOf(spec.activation) : IDENTITY_MAP;
    return out;
  });
}

export function architectureFor(options: ArchitectureOptions): Architecture {
  const preset = PRESETS[options.model];
  if (!preset.lossFor) refuseFamilySwitches(options);
  return {
    preset: options.model,
    input: preset.inputFor?.(options) ?? preset.input,
    loss: preset.lossFor?.(options) ?? preset.loss,
    layers: withInputMaps(preset.layers(options)),
  };
}

/** Every layer's input and output shape and parameters (the layer table of a preset). */
export function planArchitecture(arch: Architecture): PlannedLayer[] {
  return planLayers(arch.layers, arch.input);
}

/** The 1998 switches belong to the LeNet-5 family presets; elsewhere only their defaults pass. */
function refuseFamilySwitches(o: ArchitectureOptions): void {
  const D = TRAINING_DEFAULTS;
  const set = (['c3', 'output', 'loss', 'input'] as const).filter(
    (k) => o[k] !== undefined && o[k] !== D[k],
  );
  const widths = (['c1Maps', 'c3Maps', 'f6Units'] as const).filter((k) => o[k] !== undefined);
  const given = [...set, ...widths];
  if (given.length > 0) {
    throw new Error(
      `${given.join(', ')}: only the LeNet-5 family presets (lenet5-1998, lenet5-classic) take ${given.length === 1 ? 'this option' : 'these options'}; ${o.model} does not`,
    );
  }
}
