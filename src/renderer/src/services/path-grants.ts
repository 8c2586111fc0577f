// Browser mode has no native dialog, so the person types paths. Submitting an action with a
// typed path (Start training on a folder, Export, Load) is the person choosing that path: just
// before the action's own request, its path fields (as the operation table lists them) are
// granted with the grantPath operation. The server refuses every path that was never granted
// this way (and system folders even when they are), see src/host/folder-policy.ts.
import { operations, studioVerbs, type StudioVerb } from '../../../shared/operations';
import type { StudioApi, StudioVerbs } from '../../../shared/studio-contract';

type AnyVerb = (payload?: unknown) => Promise<unknown>;

export function withTypedPathGrants<A extends StudioApi>(api: A): A {
  const wrapped: Partial<Record<StudioVerb, AnyVerb>> = {};
  for (const verb of studioVerbs) {
    const fields = operations[verb].paths as ReadonlyArray<{
      use: 'dataset' | 'model' | 'export';
      get(payload: unknown): string | undefined;
    }>;
    if (fields.length === 0) continue;
    const call = api[verb] as AnyVerb;
    wrapped[verb] = async (payload?: unknown) => {
      if (payload !== undefined && payload !== null) {
        for (const field of fields) {
          const path = field.get(payload);
          if (path !== undefined) await api.grantPath({ path, use: field.use });
        }
      }
      return call(payload);
    };
  }
  return { ...api, ...(wrapped as Partial<StudioVerbs>) };
}
