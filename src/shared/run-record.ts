// Run history on disk: every training run has a folder with run.json (what it is and how it
// ended), an append-only metrics.jsonl (one line per epoch), an append-only batches.jsonl (the
// throttled batch progress points) and checkpoint/ (weights, optimizer state, data position). These schemas check what is read back; a file that fails them marks
// its run as damaged instead of breaking the listing.
import { DatasetIdentitySchema } from './dataset-identity';
import { z } from 'zod';
import { EpochEventSchema, finite } from './epoch-event';
import { TrainingConfigSchema } from './training-config';

/**
 * Run ids are folder names, and exactly the names RunStore makes (formatRunId below):
 * `YYYYMMDD-HHMMSS-<preset>-<6 hex>`, e.g. `20261123-120000-lenet5-abcdef`. Nothing else
 * passes: no dots (so no `.`/`..`), no separators, no temporary names, bounded length. Every
 * host and contract imports this one pattern.
 */
export const RUN_ID_PATTERN = /^\d{8}-\d{6}-[a-z0-9]{1,32}(?:-[a-z0-9]{1,32}){0,4}-[0-9a-f]{6}$/;

/** The id of a run created at `at` for `preset`, ending in `suffix` (6 random hex digits). */
export function formatRunId(at: Date, preset: string, suffix: string): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const id = `${stamp}-${preset}-${suffix}`;
  // A preset name the pattern cannot hold would make runs that can never be opened again.
  if (!RUN_ID_PATTERN.test(id)) throw new Error(`cannot make a run id from preset "${preset}"`);
  return id;
}

export const RUN_STATUSES = ['running', 'completed', 'stopped', 'failed', 'interrupted'] as const;
export const RunStatusSchema = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatusSchema>;

/**
 * How early stopping ended a run (the option earlyStopPatience): the epoch whose weights the
 * model holds (0-based, as epoch events count), its validation loss, and whether the patience
 * ran out before the planned epochs (false: the run went to its end and the best epoch was an
 * earlier one, or the last).
 */
export const EarlyStopSchema = z.object({
  bestEpoch: z.number().int().nonnegative(),
  bestValLoss: z.number(),
  stoppedEarly: z.boolean(),
  /** Epochs trained in all (the last one is `epochsTrained - 1`). */
  epochsTrained: z.number().int().nonnegative(),
});
export type EarlyStop = z.infer<typeof EarlyStopSchema>;

export const RunRecordSchema = z.object({
  formatVersion: z.literal(1),
  id: z.string().regex(RUN_ID_PATTERN),
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  status: RunStatusSchema,
  config: TrainingConfigSchema,
  dataset: DatasetIdentitySchema,
  versions: z.object({ studio: z.string(), tfjs: z.string(), tensorflow: z.string() }),
  epochsCompleted: z.number().int().nonnegative(),
  bestValAccuracy: z.number().nullable(),
  testAccuracy: z.number().nullable(),
  testLoss: z.number().nullable(),
  /** Set when status is failed. */
  error: z.string().nullable(),
  hasCheckpoint: z.boolean(),
  /** Set when early stopping chose the weights the run ended with; absent otherwise. */
  earlyStop: EarlyStopSchema.optional(),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

/** One line of metrics.jsonl: the epoch event's figures, with when they were recorded. */
export const EpochMetricsSchema = EpochEventSchema.pick({
  epoch: true,
  loss: true,
  accuracy: true,
  valLoss: true,
  valAccuracy: true,
  seconds: true,
  samplesPerSecond: true,
}).extend({ at: z.string() });
export type EpochMetrics = z.infer<typeof EpochMetricsSchema>;

/**
 * One line of batches.jsonl: a batch progress point as the progress events carry it (throttled
 * to ~10 a second, always the last batch of an epoch). `loss` and `accuracy` are running means
 * over the epoch so far, as the events report them; with `seen` (samples of the epoch so far)
 * the mean over any span between two points of one epoch follows exactly (batch-history.ts).
 */
export const BatchPointSchema = z
  .object({
    epoch: z.number().int().nonnegative(),
    batch: z.number().int().nonnegative(),
    batchesPerEpoch: z.number().int().positive(),
    /** Optimisation steps taken, this batch included (the TensorBoard step). */
    step: z.number().int().positive(),
    seen: z.number().int().positive(),
    loss: finite,
    accuracy: finite,
    learningRate: finite,
  })
  .strict();
export type BatchPoint = z.infer<typeof BatchPointSchema>;

/** A run's batch history as the run-batches request returns it. */
export const RunBatchesSchema = z.object({
  points: z.array(BatchPointSchema),
  /** Points the history holds; more than `points.length` when it was thinned to the limit. */
  total: z.number().int().nonnegative(),
});
export type RunBatches = z.infer<typeof RunBatchesSchema>;

/** A run as the Models view lists it: the record, or why it could not be read. */
export const RunSummarySchema = z.union([
  z.object({ id: z.string(), damaged: z.literal(false), record: RunRecordSchema }),
  z.object({ id: z.string(), damaged: z.literal(true), error: z.string() }),
]);
export type RunSummary = z.infer<typeof RunSummarySchema>;

/** Where training stands at a checkpoint, enough to continue exactly from there. */
export const CheckpointStateSchema = z.object({
  formatVersion: z.literal(1),
  /** Epoch to continue in (0-based) and the next batch within it. */
  epoch: z.number().int().nonnegative(),
  batch: z.number().int().nonnegative(),
  /** The data-order generator's state at the start of `epoch` (its order is re-drawn from it). */
  epochRngState: z.number().int().nonnegative(),
  /** Optimisation steps taken so far (Adam's bias correction, the LR schedule). */
  step: z.number().int().nonnegative(),
  /** Running sums of the interrupted epoch, so its reported loss and accuracy stay whole. */
  partial: z.object({ lossSum: z.number(), correct: z.number(), seen: z.number().int() }),
  /** Optimizer slot tensors, in order, stored as float32 in optimizer.bin. */
  optimizer: z.object({
    kind: z.enum(['native', 'portable']),
    slots: z.array(z.object({ name: z.string(), shape: z.array(z.number().int().nonnegative()) })),
  }),
  trainedSamples: z.number().int().nonnegative(),
  elapsedSeconds: z.number().nonnegative(),
  savedAt: z.string(),
});
export type CheckpointState = z.infer<typeof CheckpointStateSchema>;
