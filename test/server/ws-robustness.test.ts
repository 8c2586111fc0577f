// Malformed frames against the real browser-mode server and its real engine: one bad client
// loses its own connection (with the close code that says why) and nobody else notices.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../../src/server/index';
import { MAX_REQUEST_BYTES, MAX_REQUESTS_IN_FLIGHT } from '../../src/server/ws-bridge';
import { decodeBinaryFrame, encodeMessage } from '../../src/shared/binary-frame';
import { tempDir } from '../helpers/fixtures';
import { nextMessage, openStudioSocket } from '../helpers/studio-socket';

function closed(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

function closedWith(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })),
  );
}

/** The next message, decoded as the renderer's client does (binary frames included). */
function nextDecoded(ws: WebSocket): Promise<unknown> {
  return new Promise((resolve) =>
    ws.once('message', (data, isBinary) =>
      resolve(
        isBinary ? decodeBinaryFrame(new Uint8Array(data as Buffer)) : JSON.parse(String(data)),
      ),
    ),
  );
}

describe('browser-mode server under malformed WebSocket frames (real engine)', () => {
  let server: RunningServer;

  beforeAll(async () => {
    const dir = tempDir('lenet-ws-robust-');
    const web = path.join(dir, 'web');
    mkdirSync(web);
    writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>studio</title>');
    server = await startServer({ staticDir: web, runsDir: path.join(dir, 'runs') });
  });

  afterAll(async () => {
    await server?.close();
  });

  async function engineAnswers(): Promise<number> {
    const ws = await openStudioSocket(server);
    try {
      ws.send(JSON.stringify({ id: 1, channel: 'studio:info', payload: null }));
      const reply = (await nextMessage(ws)) as { ok: boolean; value: { engine: { pid: number } } };
      expect(reply.ok).toBe(true);
      return reply.value.engine.pid;
    } finally {
      ws.close();
    }
  }

  it('closes a connection that sends invalid UTF-8 with 1007, and keeps serving the others', async () => {
    const pid = await engineAnswers();
    const bystander = await openStudioSocket(server);
    const bad = await openStudioSocket(server);
    const code = closed(bad);
    // A text frame (binary: false) whose bytes are not UTF-8.
    bad.send(Buffer.from([0xff, 0xfe]), { binary: false });
    expect(await code).toBe(1007);

    bystander.send(JSON.stringify({ id: 2, channel: 'studio:info', payload: null }));
    expect(await nextMessage(bystander)).toMatchObject({ id: 2, ok: true });
    bystander.close();
    expect(await engineAnswers()).toBe(pid);
  });

  it('closes a connection that sends a frame over the limit with 1009, and keeps serving', async () => {
    const pid = await engineAnswers();
    const bad = await openStudioSocket(server);
    const code = closed(bad);
    bad.send('x'.repeat(MAX_REQUEST_BYTES + 1));
    expect(await code).toBe(1009);
    expect(await engineAnswers()).toBe(pid);
  });

  it('accepts the largest legitimate request: a full predict batch of worst-case numbers', async () => {
    const ws = await openStudioSocket(server);
    // 2.2250738585072014e-308 is the longest a double prints (23 characters); no model is
    // loaded, so the engine answers with its own error, which proves the message arrived whole.
    const row = new Array<number>(784).fill(2.2250738585072014e-308);
    const text = JSON.stringify({
      id: 99,
      channel: 'model:predict',
      payload: new Array(1024).fill(row),
    });
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_REQUEST_BYTES);
    ws.send(text);
    expect(await nextMessage(ws)).toMatchObject({
      id: 99,
      ok: false,
      error: expect.stringMatching(/no model/),
    });
    ws.close();
  });

  /** Malformed binary frames: each closes its own connection with 1007 and a reason. */
  const predictFrame = (): Uint8Array =>
    encodeMessage({
      id: 5,
      channel: 'model:predict',
      payload: new Float32Array(2 * 784).fill(0.5),
    }) as Uint8Array;
  const malformed: Array<[string, () => Uint8Array, RegExp]> = [
    ['random bytes', () => new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), /LNB1/],
    ['a truncated frame', () => predictFrame().subarray(0, 100), /past the frame/],
    [
      'a frame with bytes after its last buffer',
      () => {
        const f = predictFrame();
        const longer = new Uint8Array(f.length + 8);
        longer.set(f);
        return longer;
      },
      /bytes after the last buffer/,
    ],
    [
      'a header declaring a huge length',
      () => {
        const f = predictFrame();
        const headerLength = new DataView(f.buffer).getUint32(4, true);
        const header = new TextDecoder().decode(f.subarray(8, 8 + headerLength));
        // Same digit count, so the header keeps its size: only the declared length changes.
        const forged = header.replace('"length":1568', '"length":9999');
        expect(forged).not.toBe(header);
        f.set(new TextEncoder().encode(forged), 8);
        return f;
      },
      /ends past the frame/,
    ],
  ];

  for (const [what, frame, reason] of malformed) {
    it(`closes a connection that sends ${what} as a binary frame with 1007`, async () => {
      const pid = await engineAnswers();
      const bystander = await openStudioSocket(server);
      const bad = await openStudioSocket(server);
      const close = closedWith(bad);
      bad.send(frame(), { binary: true });
      const { code, reason: text } = await close;
      expect(code).toBe(1007);
      expect(text).toMatch(/^malformed binary frame: /);
      expect(text).toMatch(reason);
      bystander.send(JSON.stringify({ id: 2, channel: 'studio:info', payload: null }));
      expect(await nextMessage(bystander)).toMatchObject({ id: 2, ok: true });
      bystander.close();
      expect(await engineAnswers()).toBe(pid);
    });
  }

  it('closes a connection whose binary frame is over the limit with 1009', async () => {
    const pid = await engineAnswers();
    const bad = await openStudioSocket(server);
    const code = closed(bad);
    bad.send(new Uint8Array(MAX_REQUEST_BYTES + 1), { binary: true });
    expect(await code).toBe(1009);
    expect(await engineAnswers()).toBe(pid);
  });

  it('answers a well-formed binary frame with a bad envelope or payload like a text one', async () => {
    const ws = await openStudioSocket(server);
    // A valid frame whose batch length is not a multiple of 784: the payload schema says so.
    ws.send(encodeMessage({ id: 6, channel: 'model:predict', payload: new Float32Array(785) }));
    expect(await nextDecoded(ws)).toMatchObject({
      id: 6,
      ok: false,
      error: expect.stringMatching(/not a multiple of 784/),
    });
    ws.send(
      encodeMessage({ id: 7, channel: 'model:predict', payload: new Float32Array(784).fill(2) }),
    );
    expect(await nextDecoded(ws)).toMatchObject({
      id: 7,
      ok: false,
      error: expect.stringMatching(/image 0, pixel 0 is not in \[0,1\]/),
    });
    ws.send(
      encodeMessage({ id: 8, channel: 'model:predict', payload: new Float32Array(1025 * 784) }),
    );
    expect(await nextDecoded(ws)).toMatchObject({
      id: 8,
      ok: false,
      error: expect.stringMatching(/1025 images is over the limit of 1024/),
    });
    ws.send(encodeMessage({ id: 9, channel: 'nope', payload: new Uint8Array(1) }));
    expect(await nextDecoded(ws)).toMatchObject({
      id: 9,
      ok: false,
      error: 'unknown channel: nope',
    });
    // And a good one reaches the engine (no model yet: the engine's own answer proves it).
    ws.send(predictFrame());
    expect(await nextDecoded(ws)).toMatchObject({
      id: 5,
      ok: false,
      error: expect.stringMatching(/no model/),
    });
    ws.close();
  });

  it('accepts the largest binary predict batch (1024 images) well inside the limit', async () => {
    const ws = await openStudioSocket(server);
    const frame = encodeMessage({
      id: 10,
      channel: 'model:predict',
      payload: new Float32Array(1024 * 784).fill(1),
    }) as Uint8Array;
    expect(frame.byteLength).toBeLessThan(MAX_REQUEST_BYTES / 5);
    ws.send(frame);
    expect(await nextDecoded(ws)).toMatchObject({
      id: 10,
      error: expect.stringMatching(/no model/),
    });
    ws.close();
  });

  it('refuses requests beyond the in-flight cap of one connection, with a clear error', async () => {
    const ws = await openStudioSocket(server);
    const replies: Array<{ id: number; ok: boolean; error?: string }> = [];
    const all = new Promise<void>((resolve) =>
      ws.on('message', (data) => {
        replies.push(JSON.parse(String(data)));
        if (replies.length === MAX_REQUESTS_IN_FLIGHT + 5) resolve();
      }),
    );
    // Sent in one burst: nothing is answered before the last one arrives (the engine answers
    // over IPC, which needs the event loop the burst is holding).
    for (let id = 1; id <= MAX_REQUESTS_IN_FLIGHT + 5; id++) {
      ws.send(JSON.stringify({ id, channel: 'runs:list', payload: null }));
    }
    await all;
    const refused = replies.filter((r) => !r.ok);
    expect(refused.map((r) => r.id).sort((a, b) => a - b)).toEqual(
      [1, 2, 3, 4, 5].map((n) => MAX_REQUESTS_IN_FLIGHT + n),
    );
    for (const r of refused) expect(r.error).toMatch(/too many requests in flight/);
    expect(replies.filter((r) => r.ok)).toHaveLength(MAX_REQUESTS_IN_FLIGHT);
    ws.close();
    await engineAnswers();
  });
});
