// The TensorFlow.js Layers model.json, as the studio reads and writes it: the schema that an
// import is checked against before any tensor is made, and the byte arithmetic of its weights.
// Two variants: the standard folder (model.json + weight shards named in weightsManifest) and
// the studio's single file (the same JSON with the weights embedded as base64 in `weightData`).
import { z } from 'zod';

const DTYPE_BYTES = { float32: 4, int32: 4, bool: 1 } as const;

export const WeightSpecSchema = z.object({
  name: z.string().min(1),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.enum(['float32', 'int32', 'bool'], {
    message: 'dtype must be float32, int32 or bool (quantized or string weights are not supported)',
  }),
  quantization: z.undefined({ message: 'quantized weights are not supported' }).optional(),
});
export type WeightSpec = z.infer<typeof WeightSpecSchema>;

export const ModelJsonSchema = z.object({
  format: z
    .literal('layers-model', {
      message: 'format must be "layers-model" (a graph model cannot be trained or inspected here)',
    })
    .optional(),
  modelTopology: z
    .object({
      class_name: z.enum(['Sequential', 'Model', 'Functional'], {
        message: 'modelTopology.class_name must be Sequential, Model or Functional',
      }),
      config: z.unknown(),
    })
    .passthrough(),
  weightsManifest: z
    .array(z.object({ paths: z.array(z.string()), weights: z.array(WeightSpecSchema) }))
    .min(1, 'weightsManifest is empty'),
  /** Single-file variant: all weights, base64, in manifest order. */
  weightData: z.string().optional(),
  userDefinedMetadata: z.record(z.string(), z.unknown()).optional(),
  generatedBy: z.string().optional(),
  convertedBy: z.string().nullable().optional(),
});
export type ModelJson = z.infer<typeof ModelJsonSchema>;

export function weightByteLength(spec: WeightSpec): number {
  return spec.shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[spec.dtype];
}

/** All weight specs in manifest order (the order of the concatenated weight bytes). */
export function weightSpecs(json: ModelJson): WeightSpec[] {
  return json.weightsManifest.flatMap((group) => group.weights);
}

/** Checks every float32 value is finite; returns the first bad weight and index, if any. */
export function findNonFinite(
  bytes: ArrayBuffer,
  specs: WeightSpec[],
): { name: string; index: number; value: number } | null {
  let offset = 0;
  for (const spec of specs) {
    const length = weightByteLength(spec);
    if (spec.dtype === 'float32') {
      const values = new Float32Array(bytes, offset, length / 4);
      for (let i = 0; i < values.length; i++) {
        const v = values[i] as number;
        if (!Number.isFinite(v)) return { name: spec.name, index: i, value: v };
      }
    }
    offset += length;
  }
  return null;
}
