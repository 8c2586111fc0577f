// What every layer computes for one input, and the convolution filters: the feature-map and
// filter views. Walks the model's layers through the layer registry (each module's reference
// expression, from the plan's parameters); a layer whose module has no portable form, or whose
// spec does not match the model's layer, is computed by the model's own tf.layers layer. One
// tf.tidy: nothing outlives the request.
import * as tf from '@tensorflow/tfjs-node';
import type { FeatureMaps } from '../shared/engine-protocol';
import { MNIST_INPUT_SHAPE } from '../shared/mnist-shape';
import { TrainingConfigSchema, type TrainingConfig } from '../shared/training-config';
import type { ModelPreset } from '../shared/training-options';
import { architectureFor, planArchitecture } from './architectures';
import { moduleOf, type PlannedLayer } from './layers';
import { tfActivation, type LayerActivation } from './layers/activations';

/** The plan of the model's preset (with its recorded options when known), by layer name. */
function planByName(preset: ModelPreset, config: TrainingConfig | null) {
  const options = config ?? TrainingConfigSchema.parse({ model: preset });
  const planned = planArchitecture(architectureFor(options));
  return new Map(planned.map((l) => [l.spec.name, l]));
}

/**
 * A planned layer fits a model's layer when its weights and its activation are the same. The
 * activation is compared as tf.layers stores it: a scaled tanh is saved as a tanh with its
 * scales folded into the weights (the module's layerWeights unfolds them).
 */
function fits(planned: PlannedLayer, layer: tf.layers.Layer): boolean {
  const module = moduleOf(planned.spec);
  if (!module.reference) return false;
  const own = (layer.getConfig() as { activation?: unknown }).activation;
  const spec = (planned.spec as { activation?: LayerActivation }).activation;
  if (own !== undefined && spec !== undefined && own !== tfActivation(spec)) return false;
  if (module.layerWeights) return true;
  const shapes = layer.getWeights().map((w) => w.shape.join('×'));
  return shapes.join(',') === planned.plan.params.map((p) => p.shape.join('×')).join(',');
}

function paramsOf(planned: PlannedLayer, layer: tf.layers.Layer): Record<string, tf.Tensor> {
  const module = moduleOf(planned.spec);
  const weights = layer.getWeights();
  if (module.layerWeights) return module.layerWeights.toParams(planned.spec, weights);
  return Object.fromEntries(planned.plan.params.map((p, k) => [p.name, weights[k]!]));
}

/**
 * Activations of every layer for one 28×28 input (row-major, [0,1]), and every layer's 4-D
 * kernel as filters laid out [output][input][k][k] (C1: 6 filters of 1 map; C3: 16 × 6).
 */
export function featureMaps(
  model: tf.LayersModel,
  preset: ModelPreset,
  config: TrainingConfig | null,
  input: Float32Array,
): FeatureMaps {
  const started = performance.now();
  const plans = planByName(preset, config);
  const layers: FeatureMaps['layers'] = [];
  const filters: FeatureMaps['filters'] = [];
  // Values are copied out inside the tidy; every tensor is gone when it returns.
  tf.tidy(() => {
    let x: tf.Tensor = tf.tensor4d(input, [1, ...MNIST_INPUT_SHAPE]);
    for (const layer of model.layers) {
      const planned = plans.get(layer.name);
      let y: tf.Tensor | null = null;
      let kind = layer.getClassName();
      if (planned && fits(planned, layer)) {
        const params = paramsOf(planned, layer);
        y = moduleOf(planned.spec).reference!(planned.spec, x, params);
        kind = planned.spec.kind;
        const kernel = params.kernel;
        if (y && kernel && kernel.rank === 4) {
          const [k, , inputs, outputs] = kernel.shape as [number, number, number, number];
          filters.push({
            layer: layer.name,
            kernelSize: k,
            inputs,
            outputs,
            values: new Float32Array(kernel.transpose([3, 2, 0, 1]).dataSync()),
          });
        }
      }
      // No portable form for this layer here: the model's own layer computes it.
      y ??= layer.apply(x, { training: false }) as tf.Tensor;
      layers.push({
        name: layer.name,
        kind,
        shape: y.shape.slice(1),
        values: new Float32Array(y.dataSync()),
      });
      x = y;
    }
  });
  return { layers, filters, milliseconds: performance.now() - started };
}
