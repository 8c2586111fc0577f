// The presets: each is a list of layer specs (built from the run's options) plus its input
// shape and its loss; the option defaults a preset brings are in src/shared/training-options.ts
// (PRESET_DEFAULTS), where the schema, the CLI and the form read them. Nothing here assumes convolutions-then-dense:
// the compiler and the model builder walk whatever list a preset gives through the registry.
import { MNIST_INPUT_SHAPE, NUM_CLASSES } from '../shared/mnist-shape';
import type { TrainingConfig } from '../shared/training-config';
import type { ModelPreset } from '../shared/training-options';
import type { LayerActivation } from './layers/activations';
import { planLayers, type LayerSpec, type PlannedLayer } from './layers';
import type { Shape } from './layers/layer-module';
import type { LossName } from './losses';

export type ArchitectureOptions = Pick<
  TrainingConfig,
  'model' | 'activation' | 'pooling' | 'dropout'
>;

export interface Preset {
  input: Shape;
  loss: LossName;
  layers(options: ArchitectureOptions): LayerSpec[];
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
const pool = (name: string, mode: 'max' | 'avg'): LayerSpec => ({
  kind: 'pool',
  name,
  mode,
  size: 2,
  stride: 2,
});
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
      pool('s2', p),
      conv('c3', 16, 'valid', a),
      pool('s4', p),
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
      pool('pool1', p),
      conv('conv2', 50, 'valid', a),
      pool('pool2', p),
      flatten,
      dense('ip1', 500, a),
      ...drop('drop1', d),
      softmaxOutput,
    ],
  },
};

export function architectureFor(options: ArchitectureOptions): Architecture {
  const preset = PRESETS[options.model];
  return {
    preset: options.model,
    input: preset.input,
    loss: preset.loss,
    layers: preset.layers(options),
  };
}

/** Every layer's input and output shape and parameters (the layer table of a preset). */
export function planArchitecture(arch: Architecture): PlannedLayer[] {
  return planLayers(arch.layers, arch.input);
}
