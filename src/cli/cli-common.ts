// Shared pieces of the CLI commands: argument parsing, the engine host, JSON output.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { EngineHost } from '../host/engine-host';
import { TWIN_ENV } from '../engine/thread-plan';
import { createNodeEngineHost } from '../host/engine-host-node';

export type Command = (argv: string[]) => Promise<number>;

/** A user error: printed as one line, exit code 2 (usage) or 1. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<T extends Options>(
  argv: string[],
  options: T,
  allowPositionals = false,
): ReturnType<typeof parseArgs<{ options: T; allowPositionals: boolean; strict: true }>> {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}

/** Parses a numeric option; names the option when the value is not a number. */
export function num(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new CliError(`--${option}: "${value}" is not a number`);
  return n;
}

/**
 * What a command's engine adds to the environment. A command that trains gets the engine's
 * twin thread (thread-plan.ts); the others run on one thread: the twin's start (TensorFlow
 * loaded a second time, 1.2 s of a core under tsx) cost `predict` on 10,000 PNGs more than
 * splitting its batches gained (6.7-8.3 s with it, 5.8-7.5 without, measured). A
 * LENET_STUDIO_TWIN_THREAD the user set is kept.
 */
export function engineEnv(
  trains: boolean,
  env: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  return trains || env[TWIN_ENV] !== undefined ? {} : { [TWIN_ENV]: '0' };
}

/** Starts an engine process for one command and always stops it afterwards. */
export async function withEngine<T>(
  fn: (host: EngineHost) => Promise<T>,
  options: { runsDir?: string; trains?: boolean } = {},
): Promise<T> {
  const env = engineEnv(options.trains ?? false);
  const host = createNodeEngineHost({ restart: false, runsDir: options.runsDir, env });
  try {
    await host.whenReady();
    return await fn(host);
  } finally {
    host.dispose();
  }
}

/** The machine-readable result: one JSON object on the last line of stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
