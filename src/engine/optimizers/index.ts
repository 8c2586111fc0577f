// The optimizer table: name → entry. A new optimizer is its entry plus one line here (and its
// name and label in src/shared/training-options.ts, which the schema, form and CLI read).
import type { OptimizerName } from '../../shared/training-options';
import { adam } from './adam';
import { momentum } from './momentum';
import { sdlm } from './sdlm';
import type { OptimizerEntry } from './optimizer-entry';
import { sgd } from './sgd';

export const OPTIMIZERS: Record<OptimizerName, OptimizerEntry> = {
  sgd,
  momentum,
  adam,
  sdlm,
};

/** Slot names of a native checkpoint for `paramCount` parameters, in file order. */
export function nativeSlotNames(entry: OptimizerEntry, paramCount: number): string[] {
  return entry.slots.flatMap((slot) =>
    Array.from({ length: paramCount }, (_, i) => `${i}/${slot}`),
  );
}

export type { CurvatureSource, OptimizerEntry } from './optimizer-entry';
