// The layer table of an architecture (type, output shape, trainable parameters, total) for the
// Train view and the CLI. The plans live in the layer modules beside their tf.layers and native
// code (which import tfjs-node), so the renderer asks the engine rather than importing them.
// A shape that cannot work is an answer here, not a failure: the table shows its message.
import type { LayerTable } from '../shared/engine-protocol';
import { architectureFor, type ArchitectureOptions } from './architectures';
import { countPlannedParams, planLayers } from './layers';

export function describeModel(options: ArchitectureOptions): LayerTable {
  try {
    const arch = architectureFor(options);
    const planned = planLayers(arch.layers, arch.input);
    return {
      input: [...arch.input],
      loss: arch.loss,
      layers: planned.map((l) => ({
        name: l.spec.name,
        kind: l.spec.kind,
        output: [...l.plan.output],
        params: countPlannedParams([l]),
      })),
      total: countPlannedParams(planned),
      error: null,
    };
  } catch (err) {
    return {
      input: [],
      loss: null,
      layers: [],
      total: 0,
      error: err instanceof Error ? err.message : String(err),
    };
  }
}
