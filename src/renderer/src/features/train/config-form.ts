// The training form: what the inputs hold, and how it becomes a TrainingConfigInput. Every rule
// (ranges, integers, allowed values) comes from the shared option table and the schema built
// from it (src/shared/training-options.ts, training-config.ts); this module only
// turns raw input text into numbers and zod's issues into short sentences next to each field.
import type { z } from 'zod';
import {
  TRAINING_DEFAULTS,
  TrainingConfigSchema,
  type TrainingConfig,
  type TrainingConfigInput,
} from '../../../../shared/training-config';
import { CHOICE_LABELS, CHOICES } from '../../../../shared/training-options';

/** Allowed values and their labels, from the shared option table (as the schema and CLI are). */
export const OPTIONS = CHOICES;
export const OPTION_LABELS = CHOICE_LABELS;

type Choice<K extends keyof typeof OPTIONS> = (typeof OPTIONS)[K][number];

/** A number input's value: Vue's v-model.number gives a number, or the raw text ('' when empty). */
export type NumberField = number | string;

export interface ConfigForm {
  model: Choice<'model'>;
  activation: Choice<'activation'>;
  pooling: Choice<'pooling'>;
  optimizer: Choice<'optimizer'>;
  lrSchedule: Choice<'lrSchedule'>;
  dropout: NumberField;
  learningRate: NumberField;
  batchSize: NumberField;
  epochs: NumberField;
  validationSplit: NumberField;
  seed: NumberField;
  /** Empty means "all samples". */
  trainLimit: NumberField;
  testLimit: NumberField;
  datasetKind: 'bundled' | 'folder';
  datasetPath: string;
}

export type FormField = keyof ConfigForm;
export type FormErrors = Partial<Record<FormField, string>>;

export function defaultForm(): ConfigForm {
  const d = TRAINING_DEFAULTS;
  return {
    model: d.model,
    activation: d.activation,
    pooling: d.pooling,
    optimizer: d.optimizer,
    lrSchedule: d.lrSchedule,
    dropout: d.dropout,
    learningRate: d.learningRate,
    batchSize: d.batchSize,
    epochs: d.epochs,
    validationSplit: d.validationSplit,
    seed: d.seed,
    trainLimit: '',
    testLimit: '',
    datasetKind: 'bundled',
    datasetPath: '',
  };
}

/** The form showing a run's configuration (a resumed run, or one started elsewhere). */
export function formFromConfig(config: TrainingConfig): ConfigForm {
  return {
    model: config.model,
    activation: config.activation,
    pooling: config.pooling,
    optimizer: config.optimizer,
    lrSchedule: config.lrSchedule,
    dropout: config.dropout,
    learningRate: config.learningRate,
    batchSize: config.batchSize,
    epochs: config.epochs,
    validationSplit: config.validationSplit,
    seed: config.seed,
    trainLimit: config.trainLimit ?? '',
    testLimit: config.testLimit ?? '',
    datasetKind: config.dataset.kind,
    datasetPath: config.dataset.kind === 'folder' ? config.dataset.path : '',
  };
}

const REQUIRED_NUMBERS = [
  'dropout',
  'learningRate',
  'batchSize',
  'epochs',
  'validationSplit',
  'seed',
] as const;
const OPTIONAL_NUMBERS = ['trainLimit', 'testLimit'] as const;

/** '' → undefined (left empty), a number → itself, other text → NaN (not a number). */
function readNumber(value: NumberField): number | undefined {
  if (typeof value === 'number') return value;
  const text = value.trim();
  if (text === '') return undefined;
  const n = Number(text);
  return Number.isNaN(n) ? Number.NaN : n;
}

export interface FormResult {
  /** The config to send, or null while any field is invalid. */
  config: TrainingConfigInput | null;
  errors: FormErrors;
}

export function validateForm(form: ConfigForm): FormResult {
  const errors: FormErrors = {};
  const numbers: Partial<Record<FormField, number>> = {};
  for (const field of REQUIRED_NUMBERS) {
    const n = readNumber(form[field]);
    if (n === undefined) errors[field] = 'Required';
    else if (Number.isNaN(n)) errors[field] = 'Enter a number';
    else numbers[field] = n;
  }
  for (const field of OPTIONAL_NUMBERS) {
    const n = readNumber(form[field]);
    if (n !== undefined && Number.isNaN(n)) errors[field] = 'Enter a number';
    else if (n !== undefined) numbers[field] = n;
  }

  const candidate: TrainingConfigInput = {
    model: form.model,
    activation: form.activation,
    pooling: form.pooling,
    optimizer: form.optimizer,
    lrSchedule: form.lrSchedule,
    dropout: numbers.dropout,
    learningRate: numbers.learningRate,
    batchSize: numbers.batchSize,
    epochs: numbers.epochs,
    validationSplit: numbers.validationSplit,
    seed: numbers.seed,
    trainLimit: numbers.trainLimit,
    testLimit: numbers.testLimit,
    dataset:
      form.datasetKind === 'bundled'
        ? { kind: 'bundled' }
        : { kind: 'folder', path: form.datasetPath.trim() },
  };
  // Fields already refused above stay out, so zod's defaults don't mask them.
  for (const key of Object.keys(candidate) as Array<keyof TrainingConfigInput>) {
    if (candidate[key] === undefined) delete candidate[key];
  }

  const parsed = TrainingConfigSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = fieldOf(issue.path);
      if (field && !errors[field]) errors[field] = describeIssue(issue);
    }
  }
  const valid = Object.keys(errors).length === 0;
  return { config: valid ? candidate : null, errors };
}

function fieldOf(path: readonly PropertyKey[]): FormField | null {
  const [head] = path;
  if (head === 'dataset') return 'datasetPath';
  if (typeof head === 'string' && head in defaultForm()) return head as FormField;
  return null;
}

/** zod's issue in a few words a person can act on, e.g. "Must be at least 1". */
export function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_small':
      return issue.inclusive === false
        ? `Must be greater than ${String(issue.minimum)}`
        : issue.origin === 'string'
          ? capitalize(issue.message)
          : `Must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return issue.inclusive === false
        ? `Must be less than ${String(issue.maximum)}`
        : `Must be at most ${String(issue.maximum)}`;
    case 'invalid_type':
      return issue.expected === 'int' ? 'Must be a whole number' : 'Enter a number';
    case 'invalid_value':
      return 'Choose one of the listed options';
    default:
      return capitalize(issue.message);
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
