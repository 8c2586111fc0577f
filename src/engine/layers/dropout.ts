// Dropout (tf.layers' Dropout). Portable path only: no native kernel here draws the masks.
import * as tf from '@tensorflow/tfjs-node';
import type { LayerModule } from './layer-module';

export interface DropoutSpec {
  kind: 'dropout';
  name: string;
  rate: number;
}

export const dropout: LayerModule<DropoutSpec> = {
  kind: 'dropout',
  className: 'Dropout',
  plan: (_spec, input) => ({ output: input, params: [] }),
  // No seed: tfjs would draw the same mask on every batch from a fixed seed. Runs with dropout
  // are therefore not bit-reproducible.
  tfLayer: (spec) => tf.layers.dropout({ rate: spec.rate, name: spec.name }),
  // At inference dropout passes its input through.
  reference: (_spec, x) => x,
  native: null,
};
