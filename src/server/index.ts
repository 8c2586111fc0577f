// `npm run serve`: LeNet Studio in a browser. Starts the server on loopback and prints the
// address with its token. (The npm script builds the renderer first.)
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startServer } from './server';
// (--host is checked by startServer itself: only loopback addresses.)

export { startServer, type RunningServer, type ServerOptions } from './server';

/** out/renderer at the project root, where `vite build --config vite.renderer.config.ts` puts it. */
export function defaultStaticDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../out/renderer');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      'static-dir': { type: 'string' },
      'runs-dir': { type: 'string' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port: not a port number: ${values.port}`);
  }
  const server = await startServer({
    port,
    host: values.host,
    staticDir: values['static-dir'] ?? defaultStaticDir(),
    runsDir: values['runs-dir'],
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
