// The `train` command's flags and help, generated from the option table in src/shared: a new
// training option (or a new value of one) appears here without an edit.
import {
  TRAINING_OPTIONS,
  type ChoiceOption,
  type NumberOption,
  type TrainingOptionKey,
} from '../shared/training-options';
import { CliError, num } from './cli-common';

type AnyOption = ChoiceOption<string> | NumberOption;
const entries = Object.entries(TRAINING_OPTIONS) as Array<[TrainingOptionKey, AnyOption]>;

/** The flags `train` reads besides the training options. */
const OTHER_FLAGS = {
  data: { type: 'string' },
  out: { type: 'string' },
  'single-file': { type: 'boolean', default: false },
  'runs-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

/** parseArgs options: every training option as a string flag, plus the command's own. */
export const TRAIN_FLAGS = {
  ...(Object.fromEntries(entries.map(([, o]) => [o.flag, { type: 'string' }])) as Record<
    string,
    { type: 'string' }
  >),
  ...OTHER_FLAGS,
};

/** The command-line flag of a config field (`batchSize` → `batch`), for error messages. */
export function flagOf(field: string): string {
  if (field === 'dataset') return 'data';
  const option = (TRAINING_OPTIONS as Record<string, AnyOption | undefined>)[field];
  return option?.flag ?? field;
}

/**
 * The training options given on the command line, as config fields (numbers parsed, naming the
 * flag when a value is not a number); flags not given are left out, so the schema's defaults apply.
 */
export function configFromFlags(values: Record<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [key, option] of entries) {
    const raw = values[option.flag];
    if (raw === undefined) continue;
    if (typeof raw !== 'string') throw new CliError(`--${option.flag} takes a value`);
    input[key] = option.kind === 'number' ? num(raw, option.flag) : raw;
  }
  return input;
}

function usageOf(option: AnyOption): string {
  return option.kind === 'choice'
    ? `[--${option.flag} ${option.values.join('|')}]`
    : `[--${option.flag} ${option.metavar}]`;
}

/** The one-paragraph synopsis shown in `npm run cli -- --help`, wrapped like the others. */
export function trainSynopsis(indent: string, width = 96): string {
  const parts = [
    '[--data DIR]',
    ...entries.map(([, o]) => usageOf(o)),
    '[--out PATH [--single-file]]',
    '[--runs-dir DIR]',
    '[--json]',
  ];
  const lines: string[] = [];
  let line = '';
  for (const part of parts) {
    if (line && indent.length + line.length + 1 + part.length > width) {
      lines.push(line);
      line = part;
    } else line = line ? `${line} ${part}` : part;
  }
  lines.push(line);
  return lines.join(`\n${indent}`);
}

function describe(option: AnyOption): string {
  if (option.kind === 'choice') {
    const values = option.values
      .map((v) => `${v}${v === option.default ? ' (default)' : ''}: ${option.labels[v]}`)
      .join('; ');
    return `${option.help} — ${values}`;
  }
  const low = `${option.exclusiveMin ? '>' : '≥'} ${option.min}`;
  const bounds = option.max === undefined ? low : `${low}, ≤ ${option.max}`;
  const dflt = option.default === undefined ? 'default: all' : `default ${option.default}`;
  return `${option.help} (${option.int ? 'whole number ' : ''}${bounds}; ${dflt})`;
}

/** `train --help`: every flag with its values, bounds and default. */
export function trainHelp(): string {
  const rows: Array<[string, string]> = [
    [
      '--data DIR',
      'dataset folder: IDX files under the MNIST names, or one image subfolder per class; default: bundled MNIST',
    ],
    ...entries.map(([, o]): [string, string] => [
      `--${o.flag} ${o.kind === 'choice' ? 'NAME' : o.metavar}`,
      describe(o),
    ]),
    ['--out PATH', 'save the trained model there (TensorFlow.js Layers format)'],
    ['--single-file', 'save model.json with the weights embedded'],
    ['--runs-dir DIR', 'where runs are recorded'],
    ['--json', 'print the results as one JSON object on the last line'],
  ];
  const width = Math.max(...rows.map(([f]) => f.length));
  return [
    'usage: npm run cli -- train [options]',
    '',
    ...rows.map(([f, d]) => `  ${f.padEnd(width)}  ${d}`),
  ].join('\n');
}
