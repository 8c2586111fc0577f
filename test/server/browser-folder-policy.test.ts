// Browser mode's folder policy against the real server and engine: a token holder reaches only
// paths the person submitted in the UI (granted), the runs folder and the bundled data; system
// folders cannot be granted; links cannot lead out of a granted folder.
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { startServer, type RunningServer } from '../../src/server/index';
import { mnistSubset, tempDir, writeDatasetFolder } from '../helpers/fixtures';
import { openStudioSocket } from '../helpers/studio-socket';

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

describe('browser mode: folder policy (real server, real engine)', () => {
  let server: RunningServer;
  let ws: WebSocket;
  let dataDir: string;
  let scratch: string;
  let nextId = 1;

  function call(channel: string, payload: unknown = null): Promise<Reply> {
    const id = nextId++;
    return new Promise((resolve) => {
      const onMessage = (data: WebSocket.RawData): void => {
        const message = JSON.parse(String(data)) as Reply & { type: string };
        if (message.type !== 'response' || message.id !== id) return;
        ws.off('message', onMessage);
        resolve(message);
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ id, channel, payload }));
    });
  }

  async function refused(channel: string, payload: unknown): Promise<string> {
    const reply = await call(channel, payload);
    if (reply.ok) throw new Error(`${channel} was not refused`);
    return reply.error;
  }

  beforeAll(async () => {
    scratch = tempDir('lenet-policy-');
    const web = path.join(scratch, 'web');
    mkdirSync(web);
    writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>studio</title>');
    dataDir = writeDatasetFolder(mnistSubset(256, 64));
    symlinkSync('/etc', path.join(dataDir, 'escape'));
    server = await startServer({ staticDir: web, runsDir: path.join(scratch, 'runs') });
    ws = await openStudioSocket(server);
  });

  afterAll(async () => {
    ws?.close();
    await server?.close();
  });

  it('refuses reading /etc as a model, naming the path and the rule', async () => {
    const error = await refused('model:load', { dir: '/etc/passwd' });
    expect(error).toBe(
      'model /etc/passwd was not chosen in this session: type it into the path field and ' +
        'submit it. Allowed: folders chosen in this session, the runs folder and the bundled data.',
    );
  });

  it('never grants system folders, the filesystem root or relative paths', async () => {
    expect(await refused('paths:grant', { path: '/etc', use: 'model' })).toMatch(
      /^\/etc cannot be used: it is inside the system folder \/etc$/,
    );
    expect(await refused('paths:grant', { path: '/', use: 'dataset' })).toMatch(
      /root of the filesystem/,
    );
    expect(await refused('paths:grant', { path: 'models/x', use: 'model' })).toMatch(
      /models\/x is not an absolute path/,
    );
    expect(await refused('model:load', { dir: 'model.json' })).toMatch(/not an absolute path/);
  });

  it('trains on a dataset folder only once it is granted', async () => {
    const config = { epochs: 1, batchSize: 64, dataset: { kind: 'folder', path: dataDir } };
    expect(await refused('training:start', config)).toMatch(
      new RegExp(`^dataset folder ${dataDir} was not chosen in this session`),
    );
    const grant = await call('paths:grant', { path: dataDir, use: 'dataset' });
    expect(grant).toMatchObject({ ok: true, value: { path: dataDir } });
    const trained = await call('training:start', config);
    expect(trained).toMatchObject({ ok: true, value: { epochs: 1 } });
  });

  it('refuses an export outside the granted folders, and writes one inside', async () => {
    const target = path.join(scratch, 'exports', 'lenet');
    expect(await refused('model:export', { dir: target })).toMatch(
      new RegExp(
        `^export folder ${target} was not chosen in this session: .*Allowed: folders chosen in this session\\.$`,
      ),
    );
    expect(existsSync(target)).toBe(false);
    // Not even into the runs folder, which is readable without a grant but never written to.
    expect(await refused('model:export', { dir: path.join(scratch, 'runs', 'x') })).toMatch(
      /export folder .* was not chosen/,
    );

    mkdirSync(path.dirname(target));
    await call('paths:grant', { path: target, use: 'export' });
    const exported = await call('model:export', { dir: target });
    expect(exported).toMatchObject({ ok: true, value: { dir: target } });
    expect(existsSync(path.join(target, 'model.json'))).toBe(true);
    // What was written can be loaded back (inside the granted folder).
    expect(await call('model:load', { dir: target })).toMatchObject({ ok: true });
  });

  it('resolves links before checking: a symlink in a granted folder cannot lead out', async () => {
    const error = await refused('model:load', { dir: path.join(dataDir, 'escape', 'passwd') });
    expect(error).toMatch(/resolves to \/etc\/passwd\) was not chosen in this session/);
  });
});
