// `npm run cli -- <command>`: headless train, evaluate, predict, export, runs, resume. Every
// command drives the engine in its own process through the same protocol as the desktop app.
// (The benchmarks live in scripts/bench/: `npm run bench`.)
import { CliError, type Command } from './cli-common';
import { evaluate } from './commands/evaluate';
import { exportModel } from './commands/export';
import { predict } from './commands/predict';
import { resume, runs } from './commands/runs';
import { train } from './commands/train';
import { trainSynopsis } from './train-flags';

const COMMANDS: Record<string, Command> = {
  train,
  evaluate,
  predict,
  export: exportModel,
  runs,
  resume,
};

const USAGE = `usage: npm run cli -- <command> [options]

commands:
  train     ${trainSynopsis('            ')}
  evaluate  --model DIR [--data DIR] [--test-limit N] [--json]
  predict   --model DIR FILES_OR_FOLDERS... [--csv FILE] [--json]
  export    (--model DIR|FILE | --run ID) --out PATH [--single-file] [--runs-dir DIR] [--json]
  runs      [--runs-dir DIR] [--json]
  resume    --run ID [--runs-dir DIR] [--json]

train --help lists every training flag with its values, bounds and default.
--json makes the last line of stdout one JSON object with the command's results.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`error: unknown command "${name}"\n\n${USAGE}\n`);
    return 2;
  }
  try {
    return await command(rest);
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`error: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`error: ${(err as Error).message}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
