// What each operation does, on top of an engine host. Shared by Electron main (behind the IPC
// registrar) and the browser-mode server (behind the WebSocket), both through the dispatcher.
// The engine operations are generated from the operation table (each entry names its engine
// request); only the operations a host answers itself are written here. Payloads arrive
// validated, and with their paths checked by the folder policy.
import { app } from '../shared/app-info';
import {
  operations,
  studioVerbs,
  type EngineVerb,
  type HostVerb,
  type StudioVerb,
} from '../shared/operations';
import type { StudioEvent, VerbRequestParsed, VerbResponse } from '../shared/studio-contract';
import type { EngineHost } from './engine-host';
import { PathRefusedError, type FolderPolicy } from './folder-policy';
import { createRunJournal } from './run-journal';

export interface StudioDialogs {
  chooseFolder(purpose: 'dataset' | 'export' | 'model'): Promise<string | null>;
}

export type StudioHandler<V extends StudioVerb> = (
  payload: VerbRequestParsed<V>,
) => Promise<VerbResponse<V>>;

export type StudioHandlers = { [V in StudioVerb]: StudioHandler<V> };

export interface StudioBackend {
  handlers: StudioHandlers;
  onEvent(listener: (event: StudioEvent) => void): () => void;
}

export interface StudioBackendOptions {
  hostKind: 'electron' | 'browser';
  /** Electron's native pickers; browser mode has none (the UI asks for a typed path). */
  dialogs: StudioDialogs | null;
  /** Where grants go (a dialog pick or a typed path); null: no policy (tests of the engine). */
  policy: FolderPolicy | null;
}

/** The handler of one engine operation: its payload mapped to its engine request, sent. */
function engineHandler<V extends EngineVerb>(host: EngineHost, verb: V): StudioHandler<V> {
  const { engine } = operations[verb];
  // The table pairs each verb with its engine request and maps the payload; indexing it with a
  // generic V loses that pairing, which this one cast restores.
  const args = engine.args as (payload: VerbRequestParsed<V>) => object;
  return ((payload: VerbRequestParsed<V>) =>
    host.request({ type: engine.type, ...args(payload) } as never)) as StudioHandler<V>;
}

export function createStudioBackend(
  host: EngineHost,
  options: StudioBackendOptions,
): StudioBackend {
  const { hostKind, dialogs, policy } = options;
  const choose = async (purpose: 'dataset' | 'export' | 'model'): Promise<string | null> => {
    const chosen = dialogs ? await dialogs.chooseFolder(purpose) : null;
    // The person's pick is the grant.
    return chosen !== null && policy ? policy.grant(chosen, 'dialog') : chosen;
  };
  // Subscribed now, before any page: the run's state must not depend on a page being open.
  const journal = createRunJournal((listener) => host.onEvent(listener));
  const own: { [V in HostVerb]: StudioHandler<V> } = {
    getInfo: async () => ({
      engine: await host.request({ type: 'info' }),
      host: hostKind,
      appVersion: app.version,
    }),
    trainingSnapshot: () => Promise.resolve(journal.snapshot()),
    chooseDatasetFolder: () => choose('dataset'),
    chooseExportFolder: () => choose('export'),
    chooseModelFile: () => choose('model'),
    grantPath: async ({ path }) => {
      if (hostKind === 'electron') {
        throw new PathRefusedError('in the desktop app, folders are chosen with the dialog');
      }
      if (!policy) return { path };
      const granted = await policy.grant(path, 'typed');
      console.log(`[studio] granted ${granted} (typed in the UI)`);
      return { path: granted };
    },
  };
  const handlers = Object.fromEntries(
    studioVerbs.map((verb) => [
      verb,
      operations[verb].engine === null
        ? own[verb as HostVerb]
        : engineHandler(host, verb as EngineVerb),
    ]),
  ) as StudioHandlers;
  return { handlers, onEvent: (listener) => host.onEvent(listener) };
}
