// Model presets as tf.layers models, so they export to the TensorFlow.js Layers format as-is.
// The layers come from the preset's spec list (architectures.ts), each through its registry
// module's tf.layers expression.
import * as tf from '@tensorflow/tfjs-node';
import type { ModelPreset, TrainingConfig } from '../shared/training-config';
import { architectureFor, type ArchitectureOptions } from './architectures';
import { countPlannedParams, isConverted, moduleOf, planLayers } from './layers';
import type { ParamPlan } from './layers/layer-module';

export type ModelOptions = ArchitectureOptions & Pick<TrainingConfig, 'seed'>;

/**
 * Rows per forward pass at inference. tf.layers' predict runs 32 rows per pass unless told,
 * which made a batch of 1000 four times slower (98 ms against 23 ms, measured on this machine);
 * from about 500 rows the time per row stops falling, and 1000 rows of LeNet-5 hold about 20 MB
 * of activations.
 */
export const INFERENCE_BATCH = 1000;

/** The model's outputs for `x` in inference mode (dropout off), INFERENCE_BATCH rows per pass. */
export function forward(model: tf.LayersModel, x: tf.Tensor): tf.Tensor2D {
  return model.predict(x, { batchSize: INFERENCE_BATCH }) as tf.Tensor2D;
}

/**
 * Exact trainable parameter counts of the presets with their preset defaults (checked by the
 * tests); lenet5-1998 is the paper's 60,000 (C3 counts its 60 connections, the RBF prototypes
 * are fixed).
 */
export const PRESET_PARAMS: Record<ModelPreset, number> = {
  lenet5: 61_706,
  'lenet-caffe': 431_080,
  'lenet5-1998': 60_000,
  'lenet5-classic': 61_706,
  'lenet-dense128': 55_190,
};

/**
 * Trainable parameters of a model as its plan counts them (C3's 60 connections, not the RBF
 * prototypes), when the studio's config for it is known. tf.layers' countParams counts the
 * exported re-expression instead, where the mask and the folds make zeros and constants
 * explicit weights (61,816 for lenet5-1998). A foreign model (no config) is counted by
 * tf.layers.
 */
export function trainableParamCount(model: tf.LayersModel, config: TrainingConfig | null): number {
  if (!config) return model.countParams();
  const arch = architectureFor(config);
  return countPlannedParams(planLayers(arch.layers, arch.input));
}

/** A parameter's initial value as its plan says (a seeded draw, or the layer's own Glorot). */
function initialParam(p: ParamPlan, seed: number, glorot: tf.Tensor | undefined): tf.Tensor {
  switch (p.init) {
    case 'zeros':
      return tf.zeros(p.shape);
    case 'glorot-uniform':
      return glorot ? glorot.clone() : tf.initializers.glorotUniform({ seed }).apply(p.shape);
    case 'fan-in-uniform': {
      const u = tf.randomUniform(p.shape, -1, 1, 'float32', seed);
      const limits = p.limits ? tf.tensor1d(p.limits) : tf.scalar(p.limit ?? 1);
      return u.mul(limits);
    }
  }
}

/**
 * Layers whose tf.layers weights are a conversion of their parameters (fold.ts), and layers
 * with the paper's initialisation, start from their plan's initialisation in the parameters'
 * own terms (then converted).
 */
function initialiseConverted(model: tf.LayersModel, options: ModelOptions): void {
  const arch = architectureFor(options);
  let seed = options.seed;
  for (const { spec, plan } of planLayers(arch.layers, arch.input)) {
    const converted = isConverted(spec);
    if (!converted && !plan.params.some((p) => p.init === 'fan-in-uniform')) continue;
    const layer = model.getLayer(spec.name);
    const current = layer.getWeights();
    tf.tidy(() => {
      const params = Object.fromEntries(
        plan.params.map((p, k) => {
          seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
          const own = current[k]?.shape.join() === p.shape.join() ? current[k] : undefined;
          return [p.name, initialParam(p, seed, own)];
        }),
      );
      layer.setWeights(
        converted
          ? moduleOf(spec).layerWeights!.fromParams(spec, params)
          : plan.params.map((p) => params[p.name]!),
      );
    });
  }
}

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
  initialiseConverted(model, options);
  return model;
}
