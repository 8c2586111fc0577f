// The training configuration: one schema, from which every type and every validation derives.
// Shared by the CLI, the engine process, Electron main, the browser-mode server and the UI.
import { z } from 'zod';

export const MODEL_PRESETS = ['lenet5', 'lenet-caffe'] as const;
export const ModelPresetSchema = z.enum(MODEL_PRESETS);
export type ModelPreset = z.infer<typeof ModelPresetSchema>;

/** Where the training data comes from: the MNIST copy bundled with the app, or a folder. */
export const DatasetRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('bundled') }).strict(),
  z
    .object({ kind: z.literal('folder'), path: z.string().min(1, 'dataset folder is empty') })
    .strict(),
]);
export type DatasetRef = z.infer<typeof DatasetRefSchema>;

/**
 * Defaults reach ≥97.5% test accuracy in one epoch and ≥98.5% in three on MNIST:
 * Adam at 1e-3 (the reference setting) gives ~97.0–97.5% after one epoch, so the default starts
 * higher and decays with a cosine schedule over the run.
 */
export const TRAINING_DEFAULTS = {
  model: 'lenet5',
  activation: 'relu',
  pooling: 'max',
  dropout: 0,
  optimizer: 'adam',
  learningRate: 0.003,
  lrSchedule: 'cosine',
  batchSize: 128,
  epochs: 3,
  validationSplit: 0.1,
  seed: 42,
} as const;

export const TrainingConfigSchema = z
  .object({
    model: ModelPresetSchema.default(TRAINING_DEFAULTS.model),
    activation: z.enum(['relu', 'tanh', 'sigmoid']).default(TRAINING_DEFAULTS.activation),
    pooling: z.enum(['max', 'avg']).default(TRAINING_DEFAULTS.pooling),
    dropout: z.number().min(0).max(0.9).default(TRAINING_DEFAULTS.dropout),
    optimizer: z.enum(['sgd', 'momentum', 'adam']).default(TRAINING_DEFAULTS.optimizer),
    learningRate: z.number().gt(0).max(10).default(TRAINING_DEFAULTS.learningRate),
    lrSchedule: z.enum(['constant', 'cosine']).default(TRAINING_DEFAULTS.lrSchedule),
    batchSize: z.number().int().min(1).max(8192).default(TRAINING_DEFAULTS.batchSize),
    epochs: z.number().int().min(1).max(1000).default(TRAINING_DEFAULTS.epochs),
    validationSplit: z.number().min(0).max(0.5).default(TRAINING_DEFAULTS.validationSplit),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(TRAINING_DEFAULTS.seed),
    dataset: DatasetRefSchema.default({ kind: 'bundled' }),
    /** Train on the first N training samples only (quick runs, demos, tests). */
    trainLimit: z.number().int().min(1).optional(),
    /** Evaluate on the first N test samples only. */
    testLimit: z.number().int().min(1).optional(),
  })
  .strict();

/** What a caller may send (defaults filled in on arrival). */
export type TrainingConfigInput = z.input<typeof TrainingConfigSchema>;
/** What the engine works with after validation. */
export type TrainingConfig = z.output<typeof TrainingConfigSchema>;

/** Turns zod issues into one line per field, e.g. `batchSize: must be at least 1`. */
export function describeIssues(error: z.ZodError, subject = 'input'): string {
  const lines = error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : subject;
    return `${where}: ${issue.message}`;
  });
  return lines.join('; ');
}

/** Parses with a schema and throws one readable error naming each bad field. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  subject: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new Error(`invalid ${subject}: ${describeIssues(result.error, subject)}`);
  }
  return result.data;
}
