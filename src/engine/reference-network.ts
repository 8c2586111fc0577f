// The autodiff reference of the native path: a preset's layers as tfjs expressions of their
// native parameters (each module's `reference`), differentiated by tfjs. The native backward
// pass of the folded 1998 layers is checked against it, and so is the export's exactness.
import * as tf from '@tensorflow/tfjs-node';
import type { Architecture } from './architectures';
import { moduleOf, planLayers, type PlannedLayer } from './layers';
import { LOSSES } from './losses';

export interface ReferenceNetwork {
  planned: PlannedLayer[];
  /** The native output z (RBF penalties, or the softmax output's probabilities). */
  forward(x: tf.Tensor, params: readonly tf.Tensor[]): tf.Tensor;
  /** Mean loss of a batch. */
  loss(x: tf.Tensor, labels: tf.Tensor, params: readonly tf.Tensor[]): tf.Scalar;
}

export function referenceNetwork(arch: Architecture): ReferenceNetwork {
  const planned = planLayers(arch.layers, arch.input);
  const loss = LOSSES[arch.loss];
  const forward = (x: tf.Tensor, params: readonly tf.Tensor[]) => {
    let index = 0;
    let a = x;
    for (const { spec, plan } of planned) {
      const module = moduleOf(spec);
      const named = Object.fromEntries(plan.params.map((p) => [p.name, params[index++]!]));
      if (!module.reference) throw new Error(`layer ${spec.name} has no reference expression`);
      a = module.reference(spec, a, named);
    }
    return a;
  };
  return {
    planned,
    forward,
    loss: (x, labels, params) => {
      const z = forward(x, params);
      const losses = loss.reference ? loss.reference(z, labels) : loss.perExample(z, labels);
      return losses.mean() as tf.Scalar;
    },
  };
}
