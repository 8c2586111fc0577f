// The only door from the renderer into main. Every verb of the studio contract gets one
// `ipcMain.handle`, and every call is checked twice before the backend sees it: the sender must
// be our window (Electron security checklist: validate the sender of all IPC messages), and the
// payload must match the verb's request schema (the renderer is untrusted input).
//
// Electron is not imported here at run time: the ipcMain-like object, the sender check and the
// event sink are parameters, so the registrar is unit-tested under plain Node.
import path from 'node:path';
import {
  STUDIO_EVENT_CHANNEL,
  studioContract,
  studioVerbs,
  type StudioEvent,
  type StudioVerb,
  type VerbRequestParsed,
  type VerbResponse,
} from '../shared/studio-contract';
import { describeIssues } from '../shared/training-config';
import type { StudioBackend } from '../host/studio-backend';

/** The parts of Electron's IpcMainInvokeEvent the registrar reads. */
export interface InvokeEventLike {
  readonly sender: { readonly id: number };
  readonly senderFrame: { readonly url: string } | null;
}

/** The parts of Electron's ipcMain the registrar uses. */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: InvokeEventLike, payload: unknown) => Promise<unknown>,
  ): void;
  removeHandler(channel: string): void;
}

export type SenderCheck = (event: InvokeEventLike) => boolean;

/** Delivers an event to the window (in Electron: `win.webContents.send`). */
export type EventSink = (channel: typeof STUDIO_EVENT_CHANNEL, event: StudioEvent) => void;

export class IpcRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IpcRefusedError';
  }
}

/**
 * Registers a handler per verb and forwards backend events to the window.
 * Returns a teardown that removes the handlers and the event subscription.
 */
export function setupIpc(
  ipcMain: IpcMainLike,
  backend: StudioBackend,
  isTrustedSender: SenderCheck,
  sendEvent: EventSink,
): () => void {
  for (const verb of studioVerbs) registerVerb(ipcMain, backend, isTrustedSender, verb);
  const unsubscribe = backend.onEvent((event) => sendEvent(STUDIO_EVENT_CHANNEL, event));
  return () => {
    unsubscribe();
    for (const verb of studioVerbs) ipcMain.removeHandler(studioContract[verb].channel);
  };
}

function registerVerb<V extends StudioVerb>(
  ipcMain: IpcMainLike,
  backend: StudioBackend,
  isTrustedSender: SenderCheck,
  verb: V,
): void {
  const { channel, request } = studioContract[verb];
  // The handler table is keyed by verb, so indexing it with a generic V loses the pairing
  // between payload and handler; this one cast restores it.
  const handler = backend.handlers[verb] as (
    payload: VerbRequestParsed<V>,
  ) => Promise<VerbResponse<V>>;
  ipcMain.handle(channel, async (event, payload) => {
    if (!isTrustedSender(event)) {
      // Say little to a sender we don't know; log enough for us to debug.
      console.warn(`[ipc] refused ${channel} from ${event.senderFrame?.url ?? 'an unknown frame'}`);
      throw new IpcRefusedError(`${channel}: sender is not the studio window`);
    }
    const parsed = request.safeParse(payload);
    if (!parsed.success) {
      throw new IpcRefusedError(
        `invalid ${channel} request: ${describeIssues(parsed.error, 'payload')}`,
      );
    }
    return handler(parsed.data as VerbRequestParsed<V>);
  });
}

/**
 * A sender check for one window: the call must come from that window's webContents and from a
 * frame showing our renderer (so a page navigated elsewhere, or an iframe, is refused).
 */
export function senderCheckFor(
  getWebContentsId: () => number | undefined,
  rendererUrl: string,
): SenderCheck {
  const expected = comparableUrl(rendererUrl);
  return (event) => {
    const id = getWebContentsId();
    if (id === undefined || event.sender.id !== id) return false;
    const url = event.senderFrame?.url;
    return url !== undefined && expected !== null && comparableUrl(url) === expected;
  };
}

/**
 * file:// URLs compare by path (the document), http(s) dev-server URLs by origin; the query and
 * hash never matter (the renderer may use them for its own state).
 */
function comparableUrl(raw: string): string | null {
  try {
    const url = new URL(raw);
    if (url.protocol === 'file:') return `file://${url.pathname}`;
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
    return null;
  } catch {
    return null;
  }
}

/**
 * The folders the person chose through a native dialog in this session. In Electron the
 * renderer reaches only those (and what is inside them): a compromised page cannot ask the
 * engine to read or overwrite an arbitrary path.
 */
export class PickedFolders {
  private readonly roots = new Set<string>();

  add(folder: string): void {
    this.roots.add(path.resolve(folder));
  }

  allows(candidate: string): boolean {
    const target = path.resolve(candidate);
    for (const root of this.roots) {
      const inside = path.relative(root, target);
      if (inside === '' || (!inside.startsWith('..') && !path.isAbsolute(inside))) return true;
    }
    return false;
  }
}

/** Wraps the handlers that take a path so they refuse any folder the person did not pick. */
export function restrictToPickedFolders(
  backend: StudioBackend,
  picked: PickedFolders,
): StudioBackend {
  const check = (folder: string, what: string): void => {
    if (!picked.allows(folder)) {
      throw new IpcRefusedError(
        `${what} ${folder} was not chosen in this session: choose it with the folder dialog`,
      );
    }
  };
  const { handlers } = backend;
  return {
    onEvent: backend.onEvent,
    handlers: {
      ...handlers,
      startTraining: (config) => {
        if (config.dataset.kind === 'folder') check(config.dataset.path, 'dataset folder');
        return handlers.startTraining(config);
      },
      evaluate: (request) => {
        if (request.dataset?.kind === 'folder') check(request.dataset.path, 'dataset folder');
        return handlers.evaluate(request);
      },
      exportModel: (request) => {
        check(request.dir, 'export folder');
        return handlers.exportModel(request);
      },
      loadModel: (request) => {
        check(request.dir, 'model folder');
        return handlers.loadModel(request);
      },
    },
  };
}
