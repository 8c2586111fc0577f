// A second client of a browser-mode server, beside the page: the renderer's own WebSocket
// client over Node's `ws`. The server sends every engine event to every client in the order the
// engine emitted them, and a reply only after the events that came before it, so a test can
// prove what the engine did (or did not do) by a round trip instead of by waiting a while.
import type { StudioEvent } from '../../../src/shared/studio-contract';
import { createWsClient, type StudioClient } from '../../../src/renderer/src/services/ws-client';
import type { RunningServer } from '../../../src/server/index';
import { studioSocket } from '../../helpers/studio-socket';

export interface WatchingClient {
  client: StudioClient;
  /** Every event this client received, in order. */
  events: StudioEvent[];
  /** Resolves with the next event of this kind. */
  next(kind: StudioEvent['kind']): Promise<StudioEvent>;
  close(): void;
}

export function watchingClient(server: RunningServer): WatchingClient {
  const client = createWsClient(`ws://127.0.0.1:${server.port}/ws`, (_url, handlers) => {
    const ws = studioSocket(server);
    ws.on('open', () => handlers.onOpen());
    // Binary frames (typed-array results) as bytes, text frames as text: as a browser gets them.
    ws.on('message', (data, isBinary) =>
      // `ws` hands a Buffer (its default binaryType, 'nodebuffer').
      handlers.onMessage(isBinary ? new Uint8Array(data as Buffer) : String(data)),
    );
    ws.on('close', () => handlers.onClose());
    ws.on('error', () => undefined);
    return { send: (data) => ws.send(data), close: () => ws.close() };
  });
  const events: StudioEvent[] = [];
  client.onEvent((e) => events.push(e));
  return {
    client,
    events,
    next: (kind) =>
      new Promise((resolve) => {
        const off = client.onEvent((e) => {
          if (e.kind === kind) {
            off();
            resolve(e);
          }
        });
      }),
    close: () => client.dispose(),
  };
}
