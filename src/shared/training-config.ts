// The training configuration: one schema, from which every type and every validation derives.
// Shared by the CLI, the engine process, Electron main, the browser-mode server and the UI.
import { z } from 'zod';
import { TRAINING_OPTIONS as O, type ChoiceOption, type NumberOption } from './training-options';

export { MODEL_PRESETS, TRAINING_DEFAULTS, type ModelPreset } from './training-options';

export const ModelPresetSchema = z.enum(O.model.values);

/** Where the training data comes from: the MNIST copy bundled with the app, or a folder. */
export const DatasetRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('bundled') }).strict(),
  z
    .object({ kind: z.literal('folder'), path: z.string().min(1, 'dataset folder is empty') })
    .strict(),
]);
export type DatasetRef = z.infer<typeof DatasetRefSchema>;

function choice<V extends string>(option: ChoiceOption<V>) {
  return z.enum(option.values).default(option.default as never);
}

function bounded(option: NumberOption): z.ZodNumber {
  let n = z.number();
  if (option.int) n = n.int();
  n = option.exclusiveMin ? n.gt(option.min) : n.min(option.min);
  return option.max === undefined ? n : n.max(option.max);
}

function numberWithDefault(option: NumberOption & { default: number }) {
  return bounded(option).default(option.default);
}

/** Every field, its bounds and its default come from the option table (training-options.ts). */
export const TrainingConfigSchema = z
  .object({
    model: choice(O.model),
    activation: choice(O.activation),
    pooling: choice(O.pooling),
    dropout: numberWithDefault(O.dropout),
    optimizer: choice(O.optimizer),
    learningRate: numberWithDefault(O.learningRate),
    lrSchedule: choice(O.lrSchedule),
    c3: choice(O.c3),
    output: choice(O.output),
    loss: choice(O.loss),
    input: choice(O.input),
    /** Layer widths of the LeNet-5 family presets; left out: the preset's. */
    c1Maps: bounded(O.c1Maps).optional(),
    c3Maps: bounded(O.c3Maps).optional(),
    f6Units: bounded(O.f6Units).optional(),
    /** Random affine distortions of the training samples (0: off), per sample per batch. */
    distortTranslate: numberWithDefault(O.distortTranslate as NumberOption & { default: number }),
    distortScale: numberWithDefault(O.distortScale as NumberOption & { default: number }),
    distortSqueeze: numberWithDefault(O.distortSqueeze as NumberOption & { default: number }),
    distortShear: numberWithDefault(O.distortShear as NumberOption & { default: number }),
    /**
     * Early stopping: epochs without a lower validation loss before the run ends, and the best
     * epoch's weights are restored (0 or left out: off).
     */
    earlyStopPatience: bounded(O.earlyStopPatience).optional(),
    batchSize: numberWithDefault(O.batchSize),
    epochs: numberWithDefault(O.epochs),
    validationSplit: numberWithDefault(O.validationSplit),
    seed: numberWithDefault(O.seed),
    dataset: DatasetRefSchema.default({ kind: 'bundled' }),
    /** Train on the first N training samples only (quick runs, demos, tests). */
    trainLimit: bounded(O.trainLimit).optional(),
    /** Evaluate on the first N test samples only. */
    testLimit: bounded(O.testLimit).optional(),
  })
  .strict();

/** What a caller may send (defaults filled in on arrival). */
export type TrainingConfigInput = z.input<typeof TrainingConfigSchema>;
/** What the engine works with after validation. */
export type TrainingConfig = z.output<typeof TrainingConfigSchema>;
