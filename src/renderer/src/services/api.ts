// The one place that knows where the StudioApi comes from. In Electron the preload exposes it
// as `window.studio`; in a browser (browser mode) there is no preload and the same verbs travel
// over a WebSocket to the studio server. Components call useStudio() and never learn which.
import { webSocketProtocols } from '../../../shared/browser-session';
import type { StudioApi } from '../../../shared/studio-contract';
import { withTypedPathGrants } from './path-grants';
import { sessionToken } from './session-token';
import { createWsClient, wsUrlFor, type ConnectionState, type SocketFactory } from './ws-client';

export interface StudioService {
  api: StudioApi;
  transport: 'electron' | 'websocket';
  /** Connection changes of the WebSocket; Electron's IPC never disconnects. */
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
  readonly connectionState: ConnectionState;
}

/** Reads the tab's token at each (re)connect; without one the server refuses the handshake. */
export const browserSocket: SocketFactory = (url, handlers) => {
  const token = sessionToken(window.sessionStorage);
  const ws = token ? new WebSocket(url, webSocketProtocols(token)) : new WebSocket(url);
  // Binary frames (typed-array results) arrive whole as ArrayBuffers, not as Blobs to await.
  ws.binaryType = 'arraybuffer';
  let closed = false;
  const closeOnce = (): void => {
    if (closed) return;
    closed = true;
    handlers.onClose();
  };
  ws.addEventListener('open', () => handlers.onOpen());
  ws.addEventListener('message', (event: MessageEvent) => {
    if (typeof event.data === 'string') handlers.onMessage(event.data);
    else if (event.data instanceof ArrayBuffer) handlers.onMessage(new Uint8Array(event.data));
  });
  ws.addEventListener('close', closeOnce);
  ws.addEventListener('error', closeOnce);
  return { send: (data) => ws.send(data), close: () => ws.close() };
};

function createService(): StudioService {
  const preload = window.studio;
  if (preload) {
    return {
      api: preload,
      transport: 'electron',
      onConnectionChange: () => () => undefined,
      connectionState: 'open',
    };
  }
  const client = createWsClient(wsUrlFor(window.location), browserSocket);
  return {
    api: withTypedPathGrants(client),
    transport: 'websocket',
    onConnectionChange: (listener) => client.onConnectionChange(listener),
    get connectionState() {
      return client.connectionState;
    },
  };
}

let service: StudioService | null = null;

/** The app's single StudioService, created on first use. */
export function useStudio(): StudioService {
  service ??= createService();
  return service;
}
