// The Node transport for the engine: `child_process.fork` of the engine entry. Used by the CLI,
// the browser-mode server and the tests (Electron uses utilityProcess, see engine-host-electron).
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EngineHost, type EngineChannel, type EngineHostOptions } from './engine-host';

/** The engine entry next to this file: the built .js, or the .ts source when run via tsx. */
export function defaultEngineEntry(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const candidate of [
    '../engine/engine-process.ts',
    '../engine/engine-process.js',
    'engine-process.js',
  ]) {
    const full = path.join(here, candidate);
    if (existsSync(full)) return full;
  }
  throw new Error(`engine entry not found next to ${here}`);
}

export function forkEngine(
  entry = defaultEngineEntry(),
  env: NodeJS.ProcessEnv = {},
): EngineChannel {
  // TypeScript sources run through tsx's loader; built JavaScript runs as is.
  const execArgv = entry.endsWith('.ts')
    ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href]
    : [];
  const child = fork(entry, [], {
    execArgv,
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: process.env.TF_CPP_MIN_LOG_LEVEL ?? '2', ...env },
  });
  // A failed spawn, or a message the channel could not deliver, is an 'error' event: unhandled,
  // it would throw and take the host (the browser-mode server, the CLI) down. 'exit' follows a
  // real death and is what restarts the engine.
  child.on('error', (error) => console.error(`[engine-host] engine process: ${error.message}`));
  return {
    get pid() {
      return child.pid;
    },
    send: (message) => {
      if (child.connected) child.send(message as object);
    },
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) =>
      child.on('exit', (code, signal) =>
        listener(signal ? `killed by ${signal}` : `exited with code ${code}`),
      ),
    kill: () => {
      child.kill('SIGKILL');
    },
  };
}

export interface NodeEngineOptions extends EngineHostOptions {
  entry?: string;
  /** Where the engine records runs (LENET_STUDIO_RUNS_DIR); default: the per-user data dir. */
  runsDir?: string;
  /** More environment for the engine process (LENET_STUDIO_TWIN_THREAD=0, say). */
  env?: NodeJS.ProcessEnv;
}

export function createNodeEngineHost(options: NodeEngineOptions = {}): EngineHost {
  const env = {
    ...options.env,
    ...(options.runsDir ? { LENET_STUDIO_RUNS_DIR: options.runsDir } : {}),
  };
  return new EngineHost(() => forkEngine(options.entry, env), options);
}
