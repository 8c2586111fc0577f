import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createWsClient } from '../../src/renderer/src/services/ws-client';
import { webSocketProtocols } from '../../src/shared/browser-session';
import { startServer, type RunningServer } from '../../src/server/index';
import { createFakeBackend, FAKE_INFO } from './fake-backend';

const SECRET = 'secret-outside-the-static-folder';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with the path exactly as given (fetch would normalise `..` away). */
function raw(
  server: RunningServer,
  rawPath: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path: rawPath, method, headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Opens a WebSocket; resolves with it, or with the HTTP status that refused the handshake. */
function connect(
  url: string,
  origin?: string,
  token?: string,
  headers: Record<string, string> = {},
): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, token === undefined ? [] : webSocketProtocols(token), {
      headers,
      ...(origin === undefined ? {} : { origin }),
    });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

function nextMessage(ws: WebSocket): Promise<unknown> {
  return new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))));
}

describe('browser-mode server', () => {
  let dir: string;
  let server: RunningServer;
  const fake = createFakeBackend();
  /** Every response the tests saw: none may carry a cookie. */
  const seen: RawResponse[] = [];
  const get = async (...args: Parameters<typeof raw>): Promise<RawResponse> => {
    const res = await raw(...args);
    seen.push(res);
    return res;
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lenet-server-'));
    const web = path.join(dir, 'web');
    mkdirSync(path.join(web, 'assets'), { recursive: true });
    writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>studio</title>');
    writeFileSync(path.join(web, 'assets', 'app-1234.js'), 'console.log(1)');
    writeFileSync(path.join(web, 'assets', 'app.css'), 'body{}');
    writeFileSync(path.join(dir, 'secret.txt'), SECRET);
    symlinkSync(path.join(dir, 'secret.txt'), path.join(web, 'link.txt'));
    server = await startServer({
      port: 0,
      host: '127.0.0.1',
      staticDir: web,
      backend: fake.backend,
    });
  });

  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints a loopback URL with a 32-byte hex token', () => {
    expect(server.token).toMatch(/^[0-9a-f]{64}$/);
    // The token rides in the fragment, which the browser never sends to any server.
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`);
    expect(server.origin).toBe(`http://127.0.0.1:${server.port}`);
  });

  it('serves the renderer’s files (public code) under the Host check alone', async () => {
    expect((await get(server, '/')).status).toBe(200);
    expect((await get(server, '/?token=wrong')).status).toBe(200);
    // The old way of passing the token: served like any page, and still no cookie.
    expect((await get(server, `/?token=${server.token}`)).status).toBe(200);
    expect((await get(server, '/assets/app-1234.js')).status).toBe(200);
  });

  it('serves the page with the security headers', async () => {
    const res = await get(server, '/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>studio</title>');
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('serves assets with their content types', async () => {
    const js = await get(server, '/assets/app-1234.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toMatch(/immutable/);
    const css = await get(server, '/assets/app.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await get(server, '/assets/missing.js')).status).toBe(404);
    const head = await get(server, '/assets/app.css', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it.each([
    '/../secret.txt',
    '/../../secret.txt',
    '/..%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/%2e%2e/secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/..%5csecret.txt',
    '/%00index.html',
    '/%E0%A4%A',
    '/link.txt',
  ])('never serves files outside its folder: %s', async (p) => {
    const res = await get(server, p);
    expect([403, 404]).toContain(res.status);
    expect(res.body).not.toContain(SECRET);
  });

  it('refuses other Host headers (DNS rebinding) and methods other than GET/HEAD', async () => {
    const rebound = await get(server, '/', { host: `evil.example:${server.port}` });
    expect(rebound.status).toBe(403);
    expect((await get(server, '/assets/app.css', { host: 'localhost' })).status).toBe(403);
    expect((await get(server, '/', {}, 'POST')).status).toBe(405);
  });

  it('never sets a cookie, on any response', () => {
    expect(seen.length).toBeGreaterThan(15);
    expect(new Set(seen.map((r) => r.status))).toEqual(new Set([200, 403, 404, 405]));
    for (const res of seen) expect(res.headers['set-cookie']).toBeUndefined();
  });

  describe('WebSocket', () => {
    const wsUrl = () => `ws://127.0.0.1:${server.port}/ws`;

    it('refuses a missing or wrong token (401)', async () => {
      expect(await connect(wsUrl(), server.origin)).toBe(401);
      expect(await connect(wsUrl(), server.origin, 'nope')).toBe(401);
      // One character off (flipped so it always differs).
      const nearMiss = server.token.slice(0, -1) + (server.token.endsWith('0') ? '1' : '0');
      expect(await connect(wsUrl(), server.origin, nearMiss)).toBe(401);
    });

    it('refuses the token anywhere but the subprotocol: query, cookie (401)', async () => {
      expect(await connect(`${wsUrl()}?token=${server.token}`, server.origin)).toBe(401);
      const cookie = `lenet_studio_${server.port}=${server.token}`;
      expect(await connect(wsUrl(), server.origin, undefined, { cookie })).toBe(401);
    });

    it('refuses another origin, or none, even with the token (403)', async () => {
      expect(await connect(wsUrl(), 'http://evil.example', server.token)).toBe(403);
      expect(await connect(wsUrl(), `http://localhost:${server.port}`, server.token)).toBe(403);
      expect(await connect(wsUrl(), undefined, server.token)).toBe(403);
    });

    it('refuses other paths', async () => {
      expect(
        await connect(`ws://127.0.0.1:${server.port}/other`, server.origin, server.token),
      ).toBe(404);
    });

    it('selects the studio protocol, never echoing the token', async () => {
      const ws = await connect(wsUrl(), server.origin, server.token);
      if (!(ws instanceof WebSocket)) throw new Error(`refused: ${ws}`);
      expect(ws.protocol).toBe('lenet-studio');
      ws.close();
    });

    it('answers calls, refuses malformed messages with an error, and broadcasts events', async () => {
      const ws = await connect(wsUrl(), server.origin, server.token);
      if (!(ws instanceof WebSocket)) throw new Error(`refused: ${ws}`);

      ws.send('this is not json');
      expect(await nextMessage(ws)).toEqual({
        type: 'response',
        id: -1,
        ok: false,
        error: 'message is not valid JSON',
      });

      ws.send(JSON.stringify({ id: 9, channel: 'training:start', payload: { epochs: -1 } }));
      expect(await nextMessage(ws)).toMatchObject({
        id: 9,
        ok: false,
        error: expect.stringMatching(/epochs/),
      });

      // Binary frames that are not the studio's format close the connection (1007):
      // test/server/ws-robustness.test.ts, against the real engine.

      ws.send(JSON.stringify({ id: 10, channel: 'studio:info', payload: null }));
      expect(await nextMessage(ws)).toEqual({
        type: 'response',
        id: 10,
        ok: true,
        value: FAKE_INFO,
      });

      const event = nextMessage(ws);
      fake.emit({ kind: 'engine-crashed', reason: 'killed by SIGKILL' });
      expect(await event).toEqual({
        type: 'event',
        event: { kind: 'engine-crashed', reason: 'killed by SIGKILL' },
      });
      ws.close();
    });

    it('works with the renderer’s own client', async () => {
      const client = createWsClient(wsUrl(), (url, handlers) => {
        const ws = new WebSocket(url, webSocketProtocols(server.token), { origin: server.origin });
        ws.on('open', () => handlers.onOpen());
        ws.on('message', (data) => handlers.onMessage(String(data)));
        ws.on('close', () => handlers.onClose());
        ws.on('error', () => undefined);
        return { send: (data) => ws.send(data), close: () => ws.close() };
      });
      try {
        await expect(client.getInfo()).resolves.toEqual(FAKE_INFO);
        await expect(client.pauseTraining()).resolves.toEqual({ ok: true });
        await expect(client.startTraining({ epochs: 1 })).rejects.toThrow(
          'a training run is already in progress',
        );
      } finally {
        client.dispose();
      }
    });
  });
});

describe('browser-mode server start-up', () => {
  it('explains a missing renderer build', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'lenet-empty-'));
    try {
      await expect(
        startServer({ staticDir: empty, backend: createFakeBackend().backend }),
      ).rejects.toThrow(/renderer is not built/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('listens on loopback only, whoever calls it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lenet-host-'));
    writeFileSync(path.join(dir, 'index.html'), 'x');
    try {
      for (const host of ['0.0.0.0', '::', '192.168.1.10']) {
        await expect(
          startServer({ staticDir: dir, host, backend: createFakeBackend().backend }),
        ).rejects.toThrow(/only loopback addresses/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('closes cleanly, dropping clients and its event subscription', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lenet-close-'));
    writeFileSync(path.join(dir, 'index.html'), 'x');
    const fake = createFakeBackend();
    const server = await startServer({
      staticDir: dir,
      backend: fake.backend,
      token: 'fixed-token',
    });
    expect(server.token).toBe('fixed-token');
    const ws = await connect(`ws://127.0.0.1:${server.port}/ws`, server.origin, 'fixed-token');
    if (!(ws instanceof WebSocket)) throw new Error('refused');
    const closed = new Promise((resolve) => ws.once('close', resolve));
    expect(fake.listenerCount()).toBe(1);
    await server.close();
    await closed;
    expect(fake.listenerCount()).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });
});
