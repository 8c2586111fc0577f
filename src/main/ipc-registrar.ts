// The only door from the renderer into main. Every operation of the table gets one
// `ipcMain.handle`; the sender must be our window (Electron security checklist: validate the
// sender of all IPC messages), then the shared dispatcher validates the payload, applies the
// folder policy and calls the backend, exactly as the browser-mode bridge does.
//
// Electron is not imported here at run time: the ipcMain-like object, the sender check and the
// event sink are parameters, so the registrar is unit-tested under plain Node.
import { RefusedError, type StudioDoor } from '../host/dispatcher';
import { operations, studioVerbs } from '../shared/operations';
import { STUDIO_EVENT_CHANNEL, type StudioEvent } from '../shared/studio-contract';

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

/**
 * Registers a handler per operation and forwards backend events to the window.
 * Returns a teardown that removes the handlers and the event subscription.
 */
export function setupIpc(
  ipcMain: IpcMainLike,
  studio: StudioDoor,
  isTrustedSender: SenderCheck,
  sendEvent: EventSink,
): () => void {
  for (const verb of studioVerbs) {
    const { channel } = operations[verb];
    ipcMain.handle(channel, async (event, payload) => {
      if (!isTrustedSender(event)) {
        // Say little to a sender we don't know; log enough for us to debug.
        console.warn(
          `[ipc] refused ${channel} from ${event.senderFrame?.url ?? 'an unknown frame'}`,
        );
        throw new RefusedError(`${channel}: sender is not the studio window`);
      }
      return studio.dispatch(verb, payload);
    });
  }
  const unsubscribe = studio.onEvent((event) => sendEvent(STUDIO_EVENT_CHANNEL, event));
  return () => {
    unsubscribe();
    for (const verb of studioVerbs) ipcMain.removeHandler(operations[verb].channel);
  };
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
 * app:// and file:// URLs compare by scheme, host and path (the document), http(s) dev-server
 * URLs by origin; the query and hash never matter (the renderer may use them for its state).
 */
function comparableUrl(raw: string): string | null {
  try {
    const url = new URL(raw);
    if (url.protocol === 'file:' || url.protocol === 'app:') {
      return `${url.protocol}//${url.host}${url.pathname}`;
    }
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
    return null;
  } catch {
    return null;
  }
}
