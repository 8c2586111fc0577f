// Model presets as tf.layers models, so they export to the TensorFlow.js Layers format as-is.
import * as tf from '@tensorflow/tfjs-node';
import type { ModelPreset, TrainingConfig } from '../shared/training-config';

export type ModelOptions = Pick<
  TrainingConfig,
  'model' | 'activation' | 'pooling' | 'dropout' | 'seed'
>;

/** Exact parameter counts of the presets with their default layers (checked by the tests). */
export const PRESET_PARAMS: Record<ModelPreset, number> = {
  lenet5: 61_706,
  'lenet-caffe': 431_080,
};

/** Seeds each layer's initializer differently but reproducibly from the run's seed. */
function initializers(seed: number) {
  let next = seed;
  return () =>
    tf.initializers.glorotUniform({ seed: (next = (next * 1_103_515_245 + 12_345) % 2 ** 31) });
}

function pool(kind: ModelOptions['pooling'], name: string): tf.layers.Layer {
  const args = { poolSize: 2, strides: 2, name };
  return kind === 'max' ? tf.layers.maxPooling2d(args) : tf.layers.averagePooling2d(args);
}

interface Architecture {
  convs: Array<{ name: string; filters: number; padding: 'same' | 'valid'; pool: string }>;
  dense: Array<{ name: string; units: number; dropout: string }>;
}

/** The presets' layers: 5×5 convolutions each followed by 2×2 pooling, then dense layers. */
const ARCHITECTURES: Record<ModelPreset, Architecture> = {
  lenet5: {
    convs: [
      { name: 'c1', filters: 6, padding: 'same', pool: 's2' },
      { name: 'c3', filters: 16, padding: 'valid', pool: 's4' },
    ],
    dense: [
      { name: 'c5', units: 120, dropout: 'drop5' },
      { name: 'f6', units: 84, dropout: 'drop6' },
    ],
  },
  'lenet-caffe': {
    convs: [
      { name: 'conv1', filters: 20, padding: 'valid', pool: 'pool1' },
      { name: 'conv2', filters: 50, padding: 'valid', pool: 'pool2' },
    ],
    dense: [{ name: 'ip1', units: 500, dropout: 'drop1' }],
  },
};

/** Builds a fresh, randomly initialised model for the options (not compiled). */
export function createModel(options: ModelOptions): tf.LayersModel {
  const init = initializers(options.seed);
  const { convs, dense } = ARCHITECTURES[options.model];
  const model = tf.sequential({ name: options.model });
  convs.forEach((conv, i) => {
    model.add(
      tf.layers.conv2d({
        ...(i === 0 ? { inputShape: [28, 28, 1] } : {}),
        filters: conv.filters,
        kernelSize: 5,
        padding: conv.padding,
        activation: options.activation,
        kernelInitializer: init(),
        name: conv.name,
      }),
    );
    model.add(pool(options.pooling, conv.pool));
  });
  model.add(tf.layers.flatten({ name: 'flatten' }));
  for (const layer of dense) {
    model.add(
      tf.layers.dense({
        units: layer.units,
        activation: options.activation,
        kernelInitializer: init(),
        name: layer.name,
      }),
    );
    if (options.dropout > 0) {
      // No seed: tfjs would draw the same mask on every batch from a fixed seed. Runs with
      // dropout are therefore not bit-reproducible.
      model.add(tf.layers.dropout({ rate: options.dropout, name: layer.dropout }));
    }
  }
  model.add(
    tf.layers.dense({
      units: 10,
      activation: 'softmax',
      kernelInitializer: init(),
      name: 'output',
    }),
  );
  return model;
}
