// Opens a studio WebSocket the way the renderer does (origin, token), for server tests.
import WebSocket from 'ws';
import type { RunningServer } from '../../src/server/index';
import { webSocketProtocols } from '../../src/shared/browser-session';

export function openStudioSocket(server: RunningServer): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, webSocketProtocols(server.token), {
      origin: server.origin,
    });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

export function nextMessage(ws: WebSocket): Promise<unknown> {
  return new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))));
}
