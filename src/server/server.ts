// Browser mode: the built renderer and the studio contract (over a WebSocket at /ws), served on
// loopback to whoever holds the token. Same backend as Electron main, same engine process.
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { createNodeEngineHost } from '../host/engine-host-node';
import { openStudio } from '../host/dispatcher';
import type { FolderPolicy } from '../host/folder-policy';
import { createStudioBackend, type StudioBackend } from '../host/studio-backend';
import { HOW_TO_CHOOSE, studioFolderPolicy } from '../host/studio-folders';
import { STUDIO_WS_PROTOCOL, isValidToken, studioAddress } from '../shared/browser-session';
import { checkHost, checkWebSocketAccess, createToken, type AccessPolicy } from './auth';
import { browserModePolicy } from '../shared/content-security-policy';
import { lookupStatic, realRoot, sendFile } from './static-files';
import { MAX_REQUEST_BYTES, broadcastEvents, serveClient } from './ws-bridge';

export interface ServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Defaults to 32 random bytes, hex. */
  token?: string;
  /** The built renderer (out/renderer). */
  staticDir: string;
  /** Defaults to a real engine process; tests pass a fake (then `policy` is theirs to give). */
  backend?: StudioBackend;
  policy?: FolderPolicy | null;
  /** Where that engine records runs (default: the per-user data folder). */
  runsDir?: string;
}

export interface RunningServer {
  /** The address to open, token in the fragment: http://127.0.0.1:PORT/#token=TOKEN */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    // Nothing secret is in the page's URL (the token is in the fragment, never sent), but the
    // page has no reason to tell other sites where it lives either.
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(`${text}\n`);
}

/** Refuses a WebSocket handshake with a plain HTTP status. */
function refuseUpgrade(socket: Duplex, status: 401 | 403 | 404, reason: string): void {
  const text = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status];
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
      `Content-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`,
  );
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  // The token guards the studio, but there is no reason to offer it beyond this machine; checked
  // here rather than in the CLI so that no caller (a script, a test, a bench) can skip it.
  if (!LOOPBACK.has(host)) {
    throw new Error(`--host: only loopback addresses are allowed (got ${host})`);
  }
  const token = options.token ?? createToken();
  if (!isValidToken(token)) throw new Error('token: letters, digits and ._~- only');
  const staticDir = path.resolve(options.staticDir);
  if (!existsSync(path.join(staticDir, 'index.html'))) {
    throw new Error(
      `the renderer is not built (${staticDir}/index.html is missing): ` +
        'run `npm run serve`, which builds it, or `npx vite build --config vite.renderer.config.ts`',
    );
  }
  const root = await realRoot(staticDir);

  const ownedHost = options.backend ? null : createNodeEngineHost({ runsDir: options.runsDir });
  let policy: FolderPolicy | null = options.policy ?? null;
  let backend: StudioBackend;
  if (options.backend) {
    backend = options.backend;
  } else {
    const engine = ownedHost!;
    // Paths typed in the UI reach the engine only once the person has submitted them.
    const folders = studioFolderPolicy({
      howToChoose: HOW_TO_CHOOSE.browser,
      runsDir: async () => (await engine.request({ type: 'info' })).runsDir,
    });
    policy = folders;
    backend = createStudioBackend(engine, { hostKind: 'browser', dialogs: null, policy: folders });
  }
  const studio = openStudio(backend, policy);

  // Filled in once listening (the port may be chosen by the system).
  let access: AccessPolicy | null = null;
  let headers: Record<string, string> = {};

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    if (!access) return plain(res, 503, 'starting');
    const url = new URL(req.url ?? '/', access.origin);
    // The renderer's files are public code: Host alone guards them. Only the WebSocket (the
    // engine) needs the token.
    const hostCheck = checkHost(req, access);
    if (!hostCheck.ok) return plain(res, hostCheck.status, `LeNet Studio: ${hostCheck.reason}.`);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return plain(res, 405, 'method not allowed');
    }
    const found = await lookupStatic(root, url.pathname);
    if (found.kind === 'forbidden') return plain(res, 403, 'forbidden');
    if (found.kind === 'not-found') return plain(res, 404, 'not found');
    sendFile(res, found, req.method === 'HEAD');
  };

  const server = createServer((req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      console.error('[server] request failed:', error);
      if (!res.headersSent) plain(res, 500, 'internal error');
      else res.destroy();
    });
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_REQUEST_BYTES,
    // Selects our protocol, never the token one: the token is not echoed back.
    handleProtocols: (offered) => (offered.has(STUDIO_WS_PROTOCOL) ? STUDIO_WS_PROTOCOL : false),
  });
  wss.on('connection', (ws) => serveClient(ws, studio));
  const unsubscribe = broadcastEvents(wss, studio);

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (!access) return refuseUpgrade(socket, 403, 'starting');
    const url = new URL(req.url ?? '/', access.origin);
    if (url.pathname !== '/ws') return refuseUpgrade(socket, 404, 'not found');
    const decision = checkWebSocketAccess(req, access);
    if (!decision.ok) return refuseUpgrade(socket, decision.status, decision.reason);
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: unknown) => {
    // Not listening (the port is taken, say): free what this call started, the engine first.
    unsubscribe();
    wss.close();
    ownedHost?.dispose();
    throw error;
  });
  // Once listening, an error (out of file descriptors, say) is logged, not thrown: unhandled, it
  // would end the process and the engine with it.
  server.on('error', (error) => console.error('[server] error:', error.message));

  const port = (server.address() as AddressInfo).port;
  const origin = `http://${urlHost(host)}:${port}`;
  access = { token, hostHeader: `${urlHost(host)}:${port}`, origin };
  // The page's <meta> policy allows any loopback port; the header narrows it to ours.
  headers = securityHeaders(browserModePolicy(`ws://${urlHost(host)}:${port}`));

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      unsubscribe();
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      server.close(() => resolve());
      ownedHost?.dispose();
    });
    return closing;
  };

  return { url: studioAddress(origin, token), origin, port, token, close };
}
