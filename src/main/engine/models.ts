// Model presets as tf.layers models, so they export to the TensorFlow.js Layers format as-is.
import * as tf from '@tensorflow/tfjs-node';
import type { ModelPreset, TrainingConfig } from '../../shared/training-config';

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

/** Builds a fresh, randomly initialised model for the options (not compiled). */
export function createModel(options: ModelOptions): tf.LayersModel {
  const init = initializers(options.seed);
  const act = options.activation;
  const model = tf.sequential({ name: options.model });
  const dense = (units: number, name: string, activation: ModelOptions['activation'] | 'softmax') =>
    tf.layers.dense({ units, activation, kernelInitializer: init(), name });
  const dropout = (name: string) => {
    if (options.dropout > 0)
      model.add(tf.layers.dropout({ rate: options.dropout, seed: options.seed, name }));
  };

  if (options.model === 'lenet5') {
    model.add(
      tf.layers.conv2d({
        inputShape: [28, 28, 1],
        filters: 6,
        kernelSize: 5,
        padding: 'same',
        activation: act,
        kernelInitializer: init(),
        name: 'c1',
      }),
    );
    model.add(pool(options.pooling, 's2'));
    model.add(
      tf.layers.conv2d({
        filters: 16,
        kernelSize: 5,
        activation: act,
        kernelInitializer: init(),
        name: 'c3',
      }),
    );
    model.add(pool(options.pooling, 's4'));
    model.add(tf.layers.flatten({ name: 'flatten' }));
    model.add(dense(120, 'c5', act));
    dropout('drop5');
    model.add(dense(84, 'f6', act));
    dropout('drop6');
  } else {
    model.add(
      tf.layers.conv2d({
        inputShape: [28, 28, 1],
        filters: 20,
        kernelSize: 5,
        activation: act,
        kernelInitializer: init(),
        name: 'conv1',
      }),
    );
    model.add(pool(options.pooling, 'pool1'));
    model.add(
      tf.layers.conv2d({
        filters: 50,
        kernelSize: 5,
        activation: act,
        kernelInitializer: init(),
        name: 'conv2',
      }),
    );
    model.add(pool(options.pooling, 'pool2'));
    model.add(tf.layers.flatten({ name: 'flatten' }));
    model.add(dense(500, 'ip1', act));
    dropout('drop1');
  }
  model.add(dense(10, 'output', 'softmax'));
  return model;
}
