// `npm run serve`: LeNet Studio in a browser. Starts the server on loopback and prints the
// address with its token. (The npm script builds the renderer first.)
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startServer, type RunningServer, type ServerOptions } from './server';
import { defaultSessionFile, loadSession, newToken, saveSession } from './session-file';
// (--host is checked by startServer itself: only loopback addresses.)

export { startServer, type RunningServer, type ServerOptions };

/** out/renderer at the project root, where `vite build --config vite.renderer.config.ts` puts it. */
export function defaultStaticDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../out/renderer');
}

export interface BrowserModeOptions extends Omit<ServerOptions, 'token'> {
  /** Where the port and token are kept between runs (see session-file.ts). */
  sessionFile: string;
  /** Forget the saved token and port (a tab holding the old token can no longer connect). */
  newSession?: boolean;
  /** Told what went wrong with the saved session, or that its port was taken. */
  warn?: (message: string) => void;
}

/**
 * Starts the server with the saved port and token, so open tabs reconnect; saves them when
 * new. An explicit `port` wins over the saved one; a saved port now taken by another program
 * gives way to a free one (open tabs then need the new address, which is printed).
 */
export async function startBrowserMode(options: BrowserModeOptions): Promise<RunningServer> {
  const { sessionFile, newSession, warn = console.warn, ...serverOptions } = options;
  const saved = newSession ? { session: null } : await loadSession(sessionFile);
  if (saved.warning) warn(saved.warning);
  const token = saved.session?.token ?? newToken();
  const port = serverOptions.port ?? saved.session?.port ?? 0;
  let server: RunningServer;
  try {
    server = await startServer({ ...serverOptions, port, token });
  } catch (err) {
    const taken = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
    if (!taken || serverOptions.port !== undefined || port === 0) throw err;
    warn(`port ${port} (saved in ${sessionFile}) is taken; listening on a free port instead`);
    server = await startServer({ ...serverOptions, port: 0, token });
  }
  if (saved.session?.port !== server.port || saved.session.token !== token) {
    await saveSession(sessionFile, { port: server.port, token }).catch((err: unknown) =>
      warn(
        `the session is not saved, so tabs will not reconnect after a restart: ${(err as Error).message}`,
      ),
    );
  }
  return server;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      'static-dir': { type: 'string' },
      'runs-dir': { type: 'string' },
      'session-file': { type: 'string' },
      'new-session': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new Error(`--port: not a port number: ${values.port}`);
  }
  const server = await startBrowserMode({
    port,
    host: values.host,
    staticDir: values['static-dir'] ?? defaultStaticDir(),
    runsDir: values['runs-dir'],
    sessionFile: values['session-file'] ?? defaultSessionFile(),
    newSession: values['new-session'],
  });
  console.log(`LeNet Studio (browser mode): ${server.url}`);

  const shutdown = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main().catch((error: unknown) => {
    console.error(`lenet-studio serve: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
