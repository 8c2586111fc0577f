// The engine's end-of-epoch event, in its own module so that the run history's per-epoch
// metrics (run-record.ts) are derived from it rather than kept as a second copy, without a
// cycle between run-record.ts and engine-protocol.ts (which imports run-record.ts).
import { z } from 'zod';

/** A number that is neither NaN nor ±Infinity, refused with a plain message. */
export const finite = z.number().refine(Number.isFinite, 'must be a finite number');

export const EpochEventSchema = z.object({
  kind: z.literal('epoch'),
  epoch: z.number().int().nonnegative(),
  epochs: z.number().int(),
  loss: finite,
  accuracy: finite,
  valLoss: finite.nullable(),
  valAccuracy: finite.nullable(),
  /** The validation set's confusion matrix, [actual][predicted] (when there is one). */
  valConfusion: z.array(z.array(z.number().int().nonnegative())).optional(),
  /** Each class's validation accuracy; null for a class the validation set lacks. */
  valPerClassAccuracy: z.array(finite.nullable()).optional(),
  seconds: finite,
  samplesPerSecond: finite,
  numTensors: z.number().int(),
});
export type EpochEvent = z.infer<typeof EpochEventSchema>;
