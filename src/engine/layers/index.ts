// The layer registry: kind → module. A new layer kind is its module plus one line here; the
// network compiler (native-network.ts), the model builder (models.ts) and the planner read it.
import { conv } from './conv';
import { dense } from './dense';
import { dropout } from './dropout';
import { flatten } from './flatten';
import type { LayerModule, LayerPlan, SpecOf, Shape } from './layer-module';
import { pad } from './pad';
import { partialConv } from './partial-conv';
import { pooling } from './pooling';
import { rbf } from './rbf';
import { subsampling } from './subsampling';

export const LAYERS = {
  conv,
  pool: pooling,
  flatten,
  dense,
  dropout,
  pad,
  subsample: subsampling,
  'partial-conv': partialConv,
  rbf,
} as const;

export type LayerKind = keyof typeof LAYERS;
/** Any layer spec the registry knows (a union derived from the modules). */
export type LayerSpec = { [K in LayerKind]: SpecOf<(typeof LAYERS)[K]> }[LayerKind];

/** The registry's module for a spec, typed loosely enough to call with that spec. */
export function moduleOf(spec: LayerSpec): LayerModule<LayerSpec, string> {
  return LAYERS[spec.kind] as unknown as LayerModule<LayerSpec, string>;
}

/** Whether the spec's tf.layers weights are a conversion of its parameters (see fold.ts). */
export function isConverted(spec: LayerSpec): boolean {
  return moduleOf(spec).layerWeights?.applies(spec) ?? false;
}

export interface PlannedLayer {
  spec: LayerSpec;
  input: Shape;
  plan: LayerPlan;
}

/** Shapes and parameters of every layer, from the input shape; throws naming the bad layer. */
export function planLayers(specs: readonly LayerSpec[], input: Shape): PlannedLayer[] {
  let shape = input;
  return specs.map((spec) => {
    const plan = moduleOf(spec).plan(spec, shape);
    const planned = { spec, input: shape, plan };
    shape = plan.output;
    return planned;
  });
}

/**
 * Trainable parameters of a plan: as tf.layers' countParams counts them, except that a masked
 * kernel counts its connected entries only and fixed weights (RBF prototypes) are not counted.
 */
export function countPlannedParams(layers: readonly PlannedLayer[]): number {
  return layers.reduce(
    (sum, l) =>
      sum + l.plan.params.reduce((s, p) => s + (p.count ?? p.shape.reduce((a, b) => a * b, 1)), 0),
    0,
  );
}
