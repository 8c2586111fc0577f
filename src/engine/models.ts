// Model presets as tf.layers models, so they export to the TensorFlow.js Layers format as-is.
// The layers come from the preset's spec list (architectures.ts), each through its registry
// module's tf.layers expression.
import * as tf from '@tensorflow/tfjs-node';
import type { ModelPreset, TrainingConfig } from '../shared/training-config';
import { architectureFor } from './architectures';
import { moduleOf } from './layers';

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

/** Builds a fresh, randomly initialised model for the options (not compiled). */
export function createModel(options: ModelOptions): tf.LayersModel {
  const kernelInitializer = initializers(options.seed);
  const arch = architectureFor(options);
  const model = tf.sequential({ name: options.model });
  arch.layers.forEach((spec, i) => {
    const ctx = { kernelInitializer, ...(i === 0 ? { inputShape: arch.input } : {}) };
    model.add(moduleOf(spec).tfLayer(spec, ctx));
  });
  return model;
}
