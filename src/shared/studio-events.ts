// Events pushed to the UI: the engine's training events plus the host's own. Kept apart from
// studio-contract.ts so the operation table can name them (the training snapshot returns them)
// without an import cycle.
import { z } from 'zod';
import { TrainingEventSchema } from './engine-protocol';

export const StudioEventSchema = z.union([
  TrainingEventSchema,
  z.object({ kind: z.literal('engine-crashed'), reason: z.string() }),
  z.object({ kind: z.literal('engine-restarted'), pid: z.number().int() }),
]);
export type StudioEvent = z.infer<typeof StudioEventSchema>;
