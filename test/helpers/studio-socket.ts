// A studio WebSocket opened the way the renderer opens one (its origin, the token as a
// subprotocol), for the server tests, the e2e second client and the bench.
import WebSocket from 'ws';
import type { RunningServer } from '../../src/server/index';
import { webSocketProtocols } from '../../src/shared/browser-session';

/** The socket, connecting: listen for 'open' yourself. */
export function studioSocket(server: RunningServer): WebSocket {
  return new WebSocket(`ws://127.0.0.1:${server.port}/ws`, webSocketProtocols(server.token), {
    origin: server.origin,
  });
}

/** The socket once open; rejects with the HTTP status when the server refuses it. */
export function openStudioSocket(server: RunningServer): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = studioSocket(server);
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

export function nextMessage(ws: WebSocket): Promise<unknown> {
  return new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))));
}
