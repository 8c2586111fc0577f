// Browser mode keeps its port and token across restarts (so an open tab reconnects), in a file
// only the user can read; a file others could read, a damaged one, or a port now taken by
// another program is handled with a message, never a crash.
import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBrowserMode, startServer, type RunningServer } from '../../src/server/index';
import { tempDir } from '../helpers/fixtures';
import { createFakeBackend } from './fake-backend';

const running: RunningServer[] = [];
const blockers: Server[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
  await Promise.all(blockers.splice(0).map((b) => new Promise((r) => b.close(r))));
});

function staticDir(): string {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>t</title>');
  return dir;
}

async function start(sessionFile: string, extra: { port?: number; newSession?: boolean } = {}) {
  const warnings: string[] = [];
  const server = await startBrowserMode({
    staticDir: staticDir(),
    backend: createFakeBackend().backend,
    sessionFile,
    warn: (m) => warnings.push(m),
    ...extra,
  });
  running.push(server);
  return { server, warnings };
}

/** Holds a port, as another program would. */
function occupy(port: number): Promise<void> {
  const blocker = createServer();
  blockers.push(blocker);
  return new Promise((resolve) => blocker.listen(port, '127.0.0.1', resolve));
}

describe('browser-mode session file', () => {
  it('a restart keeps the port and the token; the file is readable by the user only', async () => {
    const file = path.join(tempDir(), 'config', 'lenet-studio', 'browser-session.json');
    const first = await start(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      port: first.server.port,
      token: first.server.token,
    });
    await first.server.close();
    const second = await start(file);
    expect([second.server.port, second.server.url]).toEqual([first.server.port, first.server.url]);
    expect(second.warnings).toEqual([]);
  });

  it('a saved port taken by another program gives way to a free one, and is saved', async () => {
    const file = path.join(tempDir(), 'session.json');
    const first = await start(file);
    const { port, token } = first.server;
    await first.server.close();
    await occupy(port);
    const second = await start(file);
    expect(second.server.port).not.toBe(port);
    expect(second.server.token).toBe(token);
    expect(second.warnings.join('\n')).toMatch(new RegExp(`port ${port} .*is taken`));
    expect(JSON.parse(readFileSync(file, 'utf8')).port).toBe(second.server.port);
  });

  it('an explicit port that is taken is an error, not a silent other port', async () => {
    const file = path.join(tempDir(), 'session.json');
    const first = await start(file);
    await expect(start(file, { port: first.server.port })).rejects.toThrow(/EADDRINUSE/);
  });

  it('does not trust a file other users could read: a new token replaces it', async () => {
    const file = path.join(tempDir(), 'session.json');
    const token = 'a'.repeat(64);
    writeFileSync(file, JSON.stringify({ port: 1, token }));
    chmodSync(file, 0o644);
    const { server, warnings } = await start(file);
    expect(server.token).not.toBe(token);
    expect(warnings.join('\n')).toMatch(/could be read or changed by other users/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('names a damaged file without quoting it, and starts a new session', async () => {
    const file = path.join(tempDir(), 'session.json');
    writeFileSync(file, '{"token": "hunter2-secret', { mode: 0o600 });
    const { server, warnings } = await start(file);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(file);
    expect(warnings[0]).not.toMatch(/hunter2/);
    expect(JSON.parse(readFileSync(file, 'utf8')).token).toBe(server.token);
  });

  it('--new-session forgets the saved token', async () => {
    const file = path.join(tempDir(), 'session.json');
    const first = await start(file);
    await first.server.close();
    const second = await start(file, { newSession: true });
    expect(second.server.token).not.toBe(first.server.token);
  });
});

/** Processes whose parent is this one (the engine a server starts is one). */
function childPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        // Field 4 (after the parenthesised command name) is the parent pid.
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('a server that cannot listen', () => {
  it.skipIf(process.platform !== 'linux')(
    'frees the engine it started (no engine process is left behind)',
    async () => {
      const taken = createServer();
      blockers.push(taken);
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
      const port = (taken.address() as { port: number }).port;
      const before = new Set(childPids());
      const dir = staticDir();
      mkdirSync(path.join(dir, 'runs'));
      await expect(
        startServer({ port, staticDir: dir, runsDir: path.join(dir, 'runs') }),
      ).rejects.toThrow(/EADDRINUSE/);
      // The engine child is gone once the host has disposed of it: wait for that, or time out.
      const deadline = Date.now() + 20_000;
      let left = childPids().filter((pid) => !before.has(pid));
      while (left.length > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        left = childPids().filter((pid) => !before.has(pid));
      }
      expect(left).toEqual([]);
    },
    30_000,
  );
});
