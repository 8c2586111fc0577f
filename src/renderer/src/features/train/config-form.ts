// The training form: what the inputs hold, and how it becomes a TrainingConfigInput. Every rule
// (ranges, integers, allowed values) comes from the shared option table and the schema built
// from it (src/shared/training-options.ts, training-config.ts); this module only
// turns raw input text into numbers and zod's issues into short sentences next to each field.
import type { z } from 'zod';
import {
  TrainingConfigSchema,
  type TrainingConfig,
  type TrainingConfigInput,
} from '../../../../shared/training-config';
import {
  PRESET_DEFAULTS,
  TRAINING_OPTIONS,
  type ChoiceKey,
  type NumberKey,
  type NumberOption,
  type TrainingOptionKey,
} from '../../../../shared/training-options';

type Options = typeof TRAINING_OPTIONS;

/** A number input's value: Vue's v-model.number gives a number, or the raw text ('' when empty). */
export type NumberField = number | string;

/**
 * The form's state: one entry per option of the table (a choice holds its value, a number its
 * input's content; an option without a default is '' for "left out"), plus the dataset.
 */
export type ConfigForm = { [K in ChoiceKey]: Options[K]['values'][number] } & {
  [K in NumberKey]: NumberField;
} & {
  datasetKind: 'bundled' | 'folder';
  datasetPath: string;
};

export type FormField = keyof ConfigForm;
export type FormErrors = Partial<Record<FormField, string>>;

const OPTION_ENTRIES = Object.entries(TRAINING_OPTIONS) as Array<
  [TrainingOptionKey, Options[TrainingOptionKey]]
>;

/** The options' part of a form, each option's value taken from `valueOf` ('' when it has none). */
function optionValues(valueOf: (key: TrainingOptionKey) => unknown): Record<string, unknown> {
  return Object.fromEntries(
    OPTION_ENTRIES.map(([key]) => [key, (valueOf(key) as string | number | undefined) ?? '']),
  );
}

export function defaultForm(): ConfigForm {
  return {
    ...optionValues((key) => (TRAINING_OPTIONS[key] as { default?: string | number }).default),
    datasetKind: 'bundled',
    datasetPath: '',
  } as ConfigForm;
}

/** The form showing a run's configuration (a resumed run, or one started elsewhere). */
export function formFromConfig(config: TrainingConfig): ConfigForm {
  return {
    ...optionValues((key) => (config as Record<TrainingOptionKey, unknown>)[key]),
    datasetKind: config.dataset.kind,
    datasetPath: config.dataset.kind === 'folder' ? config.dataset.path : '',
  } as ConfigForm;
}

/** The options some preset sets its own default for (activation, pooling, batch size, …). */
const PRESET_KEYS = [
  ...new Set(Object.values(PRESET_DEFAULTS).flatMap((d) => Object.keys(d))),
] as TrainingOptionKey[];

/**
 * The form once a person has picked its architecture: every option a preset sets its own default
 * for takes the chosen preset's (or, where it sets none, the global default), so picking the
 * 1998 LeNet-5 brings its activation, pooling, output and schedule, and picking another preset
 * brings back its own; the options no preset sets keep what was typed.
 */
export function withPresetChosen(form: ConfigForm): ConfigForm {
  const own: Partial<Record<TrainingOptionKey, unknown>> = Object.hasOwn(
    PRESET_DEFAULTS,
    form.model,
  )
    ? PRESET_DEFAULTS[form.model]
    : {};
  const values = Object.fromEntries(
    PRESET_KEYS.map((key) => [
      key,
      own[key] ?? (TRAINING_OPTIONS[key] as { default?: string | number }).default ?? '',
    ]),
  );
  return { ...form, ...values } as ConfigForm;
}

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
  const values: Record<string, unknown> = {};
  for (const [key, option] of OPTION_ENTRIES) {
    if (option.kind === 'choice') {
      values[key] = form[key];
      continue;
    }
    // A number option with a default must be given; one without may be left empty ("all").
    const n = readNumber(form[key as NumberKey]);
    if (n === undefined && (option as NumberOption).default !== undefined) errors[key] = 'Required';
    else if (n !== undefined && Number.isNaN(n)) errors[key] = 'Enter a number';
    else values[key] = n;
  }

  const candidate = {
    ...values,
    dataset:
      form.datasetKind === 'bundled'
        ? { kind: 'bundled' }
        : { kind: 'folder', path: form.datasetPath.trim() },
  } as TrainingConfigInput;
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
