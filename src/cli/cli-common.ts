// Shared pieces of the CLI commands: argument parsing, the engine host, JSON output.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { EngineHost } from '../host/engine-host';
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

/** Starts an engine process for one command and always stops it afterwards. */
export async function withEngine<T>(
  fn: (host: EngineHost) => Promise<T>,
  options: { runsDir?: string } = {},
): Promise<T> {
  const host = createNodeEngineHost({ restart: false, runsDir: options.runsDir });
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
