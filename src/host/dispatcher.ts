// The one door from any UI transport into the studio: Electron's IPC registrar and the
// browser-mode WebSocket bridge both call `dispatch`. Every call goes the same way: the payload
// against its operation's schema, each path field through the folder policy (the checked, real
// path replaces the one sent), the backend, and the result against its schema, so a host bug
// cannot hand the UI something the contract does not promise.
import { operations, type PathField, type StudioVerb } from '../shared/operations';
import type { VerbRequestParsed, VerbResponse } from '../shared/studio-contract';
import { describeIssues } from '../shared/zod-messages';
import type { FolderPolicy } from './folder-policy';
import type { StudioBackend, StudioHandler } from './studio-backend';

/** A call refused before the backend saw it (bad payload, path outside the policy). */
export class RefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedError';
  }
}

/** What a transport needs: the door, and the events to relay. */
export interface StudioDoor {
  dispatch: Dispatch;
  onEvent: StudioBackend['onEvent'];
}

export function openStudio(backend: StudioBackend, policy: FolderPolicy | null): StudioDoor {
  return { dispatch: createDispatcher(backend, policy), onEvent: backend.onEvent };
}

export type Dispatch = <V extends StudioVerb>(
  verb: V,
  payload: unknown,
) => Promise<VerbResponse<V>>;

export function createDispatcher(backend: StudioBackend, policy: FolderPolicy | null): Dispatch {
  return async <V extends StudioVerb>(verb: V, payload: unknown): Promise<VerbResponse<V>> => {
    const operation = operations[verb];
    const parsed = operation.request.safeParse(payload);
    if (!parsed.success) {
      throw new RefusedError(
        `invalid ${operation.channel} request: ${describeIssues(parsed.error, 'payload')}`,
      );
    }
    let checked = parsed.data as VerbRequestParsed<V>;
    if (policy) {
      // Each entry's path fields are typed for its own payload; indexing by a generic V loses
      // that, and this cast restores it.
      for (const field of operation.paths as unknown as ReadonlyArray<
        PathField<VerbRequestParsed<V>>
      >) {
        const value = field.get(checked);
        if (value !== undefined) checked = field.set(checked, await policy.check(field.use, value));
      }
    }
    const handler = backend.handlers[verb] as StudioHandler<V>;
    const result = await handler(checked);
    const valid = operation.response.safeParse(result);
    if (!valid.success) {
      throw new Error(`malformed ${verb} result: ${describeIssues(valid.error, 'result')}`);
    }
    return valid.data as VerbResponse<V>;
  };
}
