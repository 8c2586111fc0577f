// The message protocol between a host (CLI, Electron main, browser-mode server) and the engine
// process. Requests carry ids and get exactly one result; events stream progress. Both sides
// validate what arrives with these schemas: types are derived from them, never kept by hand.
import { DatasetIdentitySchema } from './dataset-identity';
import { z } from 'zod';
import { EpochEventSchema, finite } from './epoch-event';
import {
  EarlyStopSchema,
  EpochMetricsSchema,
  RunBatchesSchema,
  RUN_ID_PATTERN,
  RunRecordSchema,
  RunSummarySchema,
} from './run-record';
import { DatasetRefSchema, ModelPresetSchema, TrainingConfigSchema } from './training-config';
import { TRAINING_OPTIONS } from './training-options';
import { LR_RANGE_DEFAULTS } from './lr-range';

export const IMAGE_SIZE = 28;
export const IMAGE_PIXELS = IMAGE_SIZE * IMAGE_SIZE;
/** A predict request carries at most this many images; callers stream larger sets in chunks. */
export const MAX_PREDICT_BATCH = 1024;
/** A classify-files request names at most this many files. */
export const MAX_CLASSIFY_FILES = 256;
/** A classify-images request carries at most this many images… */
export const MAX_CLASSIFY_IMAGES = 256;
/**
 * …of at most this many bytes in all (one image may use all of it). A digit scan is a few
 * hundred bytes; a phone photo a few MiB: the caller sends one of those alone, or decodes it
 * itself when it is larger still.
 */
export const MAX_CLASSIFY_IMAGE_BYTES = 32 * 1024 * 1024;
/** A run's batch history comes back thinned to this many points unless asked otherwise… */
export const DEFAULT_BATCH_POINTS = 2000;
/** …and to at most this many (a chart draws a few thousand points smoothly). */
export const MAX_BATCH_POINTS = 20_000;
/** A dataset-images request names at most this many images (a gallery's visible page). */
export const MAX_DATASET_IMAGES = 1024;
/** Samples per class a dataset summary may list (10 classes × 2 splits stay within a page). */
export const MAX_SUMMARY_SAMPLES = 48;

const id = z.number().int().nonnegative();

/** A strength within its training option's bounds (one table decides them). */
function strength(o: { min: number; max: number }) {
  return z.number().min(o.min).max(o.max);
}

/** The distortion strengths of a preview (the distort* options of a training config). */
export const DistortionStrengthsSchema = z
  .object({
    translate: strength(TRAINING_OPTIONS.distortTranslate),
    scale: strength(TRAINING_OPTIONS.distortScale),
    squeeze: strength(TRAINING_OPTIONS.distortSqueeze),
    shear: strength(TRAINING_OPTIONS.distortShear),
  })
  .strict();
/** A preview grid has at most this many rows (and columns of distortions). */
export const MAX_PREVIEW_ROWS = 16;

/**
 * One 28×28 image as 784 numbers in [0,1]. Checked in one loop: a per-element zod schema
 * costs ~1 µs a number, which dominated predict requests of 1,000 images.
 */
export const PixelRowSchema = z.custom<number[]>(
  (v) =>
    Array.isArray(v) &&
    v.length === IMAGE_PIXELS &&
    v.every((n) => typeof n === 'number' && n >= 0 && n <= 1),
  { message: `each image must be ${IMAGE_PIXELS} numbers in [0,1]` },
);

// Fields shared by engine requests and the UI's operations (src/shared/operations.ts): defined
// once here so the two layers cannot disagree on a bound.
export const RunIdSchema = z.string().regex(RUN_ID_PATTERN, 'not a run id');
export const RunNameSchema = z.string().min(1).max(200);
export const TestLimitSchema = z.number().int().min(1);
/** How many points of a run's batch history to return at most (a longer one is thinned). */
export const BatchPointLimitSchema = z.number().int().min(2).max(MAX_BATCH_POINTS);
/** A model folder, a model.json, or a single-file export (where to read or write one). */
export const ModelPathSchema = z.string().min(1);
/** Why a predict batch is refused, or null: n×784 float32 values, finite and in [0,1]. */
function pixelBatchFault(batch: Float32Array): string | null {
  if (batch.length === 0) return 'the batch is empty';
  if (batch.length % IMAGE_PIXELS !== 0)
    return `a batch is n×${IMAGE_PIXELS} values; ${batch.length} is not a multiple of ${IMAGE_PIXELS}`;
  const images = batch.length / IMAGE_PIXELS;
  if (images > MAX_PREDICT_BATCH)
    return `${images} images is over the limit of ${MAX_PREDICT_BATCH} per request`;
  for (let i = 0; i < batch.length; i++) {
    const v = batch[i] as number;
    // Written so NaN fails too (every comparison with NaN is false).
    if (!(v >= 0 && v <= 1))
      return `image ${Math.floor(i / IMAGE_PIXELS)}, pixel ${i % IMAGE_PIXELS} is not in [0,1]`;
  }
  return null;
}

/**
 * The images of a predict request: one Float32Array of n×784 values (binary: n images
 * row-major, back to back), or an array of n rows of 784 numbers; 1 ≤ n ≤ MAX_PREDICT_BATCH,
 * values in [0,1] (white ink on black). The Float32Array is what the UI, the CLI and the bench
 * send: it crosses every process boundary as bytes, and the engine makes its tensor from it
 * without a copy into a JavaScript array. Rows stay accepted for scripts and older callers.
 */
export const PredictInputsSchema = z
  .custom<Float32Array | number[][]>((v) => v instanceof Float32Array || Array.isArray(v), {
    message: `inputs must be a Float32Array of n×${IMAGE_PIXELS} values or an array of rows`,
  })
  .superRefine((v, ctx) => {
    let fault: string | null = null;
    if (v instanceof Float32Array) fault = pixelBatchFault(v);
    else if (v.length === 0) fault = 'the batch is empty';
    else if (v.length > MAX_PREDICT_BATCH)
      fault = `${v.length} images is over the limit of ${MAX_PREDICT_BATCH} per request`;
    else {
      // A bad row is named by its index (`inputs.3: …`), as a per-row schema would.
      const bad = v.findIndex((row) => !PixelRowSchema.safeParse(row).success);
      if (bad !== -1) {
        ctx.addIssue({
          code: 'custom',
          path: [bad],
          message: `each image must be ${IMAGE_PIXELS} numbers in [0,1]`,
        });
      }
    }
    if (fault) ctx.addIssue({ code: 'custom', message: fault });
  });

/** The number of images in valid predict inputs. */
export function predictBatchSize(inputs: Float32Array | number[][]): number {
  return inputs instanceof Float32Array ? inputs.length / IMAGE_PIXELS : inputs.length;
}

/** n images of 784 values in [0,1] as the one Float32Array a predict request carries. */
export function packPixelBatch(images: readonly ArrayLike<number>[]): Float32Array {
  const batch = new Float32Array(images.length * IMAGE_PIXELS);
  images.forEach((image, k) => batch.set(image, k * IMAGE_PIXELS));
  return batch;
}
/**
 * Encoded image files (PNG, JPEG, BMP, GIF) back to back in `bytes`; image i is
 * bytes[ends[i-1], ends[i]) with ends[-1] = 0. Two typed arrays whatever the count, so a chunk
 * of files crosses every boundary as one binary frame (a Uint8Array per file would be a buffer
 * each). The files' names stay with the caller: results come back in the same order.
 */
export const ImageBytesSchema = z
  .object({
    bytes: z.custom<Uint8Array>((v) => v instanceof Uint8Array, {
      message: 'bytes must be a Uint8Array',
    }),
    ends: z.custom<Int32Array>((v) => v instanceof Int32Array, {
      message: 'ends must be an Int32Array',
    }),
  })
  .strict()
  .superRefine(({ bytes, ends }, ctx) => {
    const fault = imageBytesFault(bytes, ends);
    if (fault) ctx.addIssue({ code: 'custom', message: fault });
  });
export type ImageBytes = z.infer<typeof ImageBytesSchema>;

function imageBytesFault(bytes: Uint8Array, ends: Int32Array): string | null {
  if (ends.length === 0) return 'no images';
  if (ends.length > MAX_CLASSIFY_IMAGES)
    return `${ends.length} images is over the limit of ${MAX_CLASSIFY_IMAGES} per request`;
  if (bytes.length > MAX_CLASSIFY_IMAGE_BYTES)
    return `${bytes.length} bytes is over the limit of ${MAX_CLASSIFY_IMAGE_BYTES} per request`;
  let start = 0;
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i] as number;
    if (end < start) return `image ${i} ends at ${end}, before it starts (${start})`;
    start = end;
  }
  if (start !== bytes.length)
    return `the images end at byte ${start}, but ${bytes.length} bytes were sent`;
  return null;
}

/** n files' bytes as one ImageBytes (in order). */
export function packImageBytes(files: readonly Uint8Array[]): ImageBytes {
  const ends = new Int32Array(files.length);
  let total = 0;
  files.forEach((file, i) => (ends[i] = total += file.length));
  const bytes = new Uint8Array(total);
  files.forEach((file, i) => bytes.set(file, i === 0 ? 0 : (ends[i - 1] as number)));
  return { bytes, ends };
}

/** One 28×28 input as a Float32Array (binary), or as 784 numbers; values in [0,1]. */
export const ImageInputSchema = z.custom<Float32Array | number[]>(
  (v) =>
    (v instanceof Float32Array || Array.isArray(v)) &&
    v.length === IMAGE_PIXELS &&
    Array.prototype.every.call(v, (n: unknown) => typeof n === 'number' && n >= 0 && n <= 1),
  { message: `the image must be ${IMAGE_PIXELS} numbers in [0,1] (a Float32Array or an array)` },
);
const runId = RunIdSchema;
export const DatasetIndicesSchema = z
  .array(z.number().int().nonnegative())
  .min(1)
  .max(MAX_DATASET_IMAGES);

// ---------------------------------------------------------------------------------------------
// Requests (host → engine)

export const EngineRequestSchema = z.discriminatedUnion('type', [
  z.object({ id, type: z.literal('info') }).strict(),
  z.object({ id, type: z.literal('train'), config: TrainingConfigSchema }).strict(),
  z.object({ id, type: z.literal('pause') }).strict(),
  z.object({ id, type: z.literal('resume') }).strict(),
  z.object({ id, type: z.literal('stop') }).strict(),
  z
    .object({
      id,
      type: z.literal('evaluate'),
      dataset: DatasetRefSchema.default({ kind: 'bundled' }),
      testLimit: TestLimitSchema.optional(),
      /**
       * Also return per-sample predictions and top-3 probabilities (binary arrays); with
       * `probabilities`, all ten per sample too.
       */
      details: z.boolean().default(false),
      probabilities: z.boolean().default(false),
    })
    .strict(),
  /** A dataset's classes, counts per split and sample indices per class (the Dataset view). */
  z
    .object({
      id,
      type: z.literal('dataset-summary'),
      dataset: DatasetRefSchema.default({ kind: 'bundled' }),
      /** Sample indices returned per class and split (the first ones in split order). */
      perClass: z.number().int().min(0).max(MAX_SUMMARY_SAMPLES).default(8),
    })
    .strict(),
  z
    .object({
      id,
      type: z.literal('dataset-images'),
      dataset: DatasetRefSchema.default({ kind: 'bundled' }),
      /** Which split the indices refer to (an evaluation's sample i is test image i). */
      split: z.enum(['train', 'test']).default('test'),
      indices: DatasetIndicesSchema,
    })
    .strict(),
  z
    .object({
      id,
      type: z.literal('predict'),
      inputs: PredictInputsSchema,
    })
    .strict(),
  /** The layer table of an architecture (shapes, parameters), or why its shapes cannot work. */
  z.object({ id, type: z.literal('describe-model'), config: TrainingConfigSchema }).strict(),
  /**
   * The learning-rate range test: a throwaway copy of the configured model trains `batches`
   * batches with the rate growing exponentially from minLr to maxLr; the current model and any
   * run are left alone (refused while a run trains).
   */
  z
    .object({
      id,
      type: z.literal('lr-range-test'),
      config: TrainingConfigSchema,
      batches: z.number().int().min(10).max(1000).default(LR_RANGE_DEFAULTS.batches),
      minLr: z.number().positive().max(10).default(LR_RANGE_DEFAULTS.minLr),
      maxLr: z.number().positive().max(10).default(LR_RANGE_DEFAULTS.maxLr),
    })
    .strict(),
  /** Training samples of a split beside seeded distortions of them (the Train view's preview). */
  z
    .object({
      id,
      type: z.literal('distortion-preview'),
      dataset: DatasetRefSchema.default({ kind: 'bundled' }),
      strengths: DistortionStrengthsSchema,
      seed: z.number().int(),
      /** Samples (rows) and distortions of each (columns after the undistorted one). */
      rows: z.number().int().min(1).max(MAX_PREVIEW_ROWS),
      variants: z.number().int().min(1).max(MAX_PREVIEW_ROWS),
    })
    .strict(),
  /** Every layer's activations for one input, and the convolution filters. */
  z
    .object({
      id,
      type: z.literal('activations'),
      input: ImageInputSchema,
      /**
       * The model being trained, with its weights as of its last completed epoch (watch C1's
       * filters form: ask again at each epoch event), instead of the current model.
       */
      training: z.boolean().default(false),
    })
    .strict(),
  z
    .object({
      id,
      type: z.literal('classify-files'),
      /** Image files to decode, preprocess and classify (folders are expanded by the caller). */
      paths: z.array(z.string().min(1)).min(1).max(MAX_CLASSIFY_FILES),
    })
    .strict(),
  z
    .object({
      id,
      type: z.literal('classify-images'),
      images: ImageBytesSchema,
    })
    .strict(),
  z
    .object({
      id,
      type: z.literal('save-model'),
      /** A new folder (model.json + weights.bin), or a new .json file with `singleFile`. */
      dir: ModelPathSchema,
      singleFile: z.boolean().default(false),
    })
    .strict(),
  z.object({ id, type: z.literal('load-model'), dir: ModelPathSchema }).strict(),
  // Run history
  z.object({ id, type: z.literal('list-runs') }).strict(),
  z.object({ id, type: z.literal('run-metrics'), runId }).strict(),
  /** The run's batch progress points (batches.jsonl), thinned evenly to `limit`. */
  z
    .object({
      id,
      type: z.literal('run-batches'),
      runId,
      limit: BatchPointLimitSchema.default(DEFAULT_BATCH_POINTS),
    })
    .strict(),
  z.object({ id, type: z.literal('rename-run'), runId, name: RunNameSchema }).strict(),
  z.object({ id, type: z.literal('delete-run'), runId }).strict(),
  /** Makes the run's last checkpoint the current model (to classify or export). */
  z.object({ id, type: z.literal('load-run'), runId }).strict(),
  /** Continues an interrupted or stopped run from its last checkpoint. */
  z.object({ id, type: z.literal('resume-run'), runId }).strict(),
  /** Swaps the current model with the one it replaced (an undo of a finished run or a load). */
  z.object({ id, type: z.literal('restore-previous-model') }).strict(),
]);
export type EngineRequest = z.infer<typeof EngineRequestSchema>;
export type EngineRequestInput = z.input<typeof EngineRequestSchema>;
export type EngineRequestType = EngineRequest['type'];

// ---------------------------------------------------------------------------------------------
// Results (engine → host), one schema per request type

export const ModelSummarySchema = z.object({
  preset: ModelPresetSchema,
  params: z.number().int(),
  /** Where the model came from: trained in this engine, or loaded from disk. */
  source: z.enum(['trained', 'loaded']),
  path: z.string().optional(),
  runId: z.string().optional(),
  testAccuracy: finite.optional(),
  /** The data it was trained on, where known (a foreign model's is not). */
  dataset: DatasetIdentitySchema.optional(),
  /**
   * Where that data was read from (its training config's dataset), so Evaluate can start on
   * it; absent for a model without a studio config.
   */
  datasetRef: DatasetRefSchema.optional(),
});
export type ModelSummary = z.infer<typeof ModelSummarySchema>;

/** Which CPU kernels TensorFlow runs in the engine (decided before it loaded, cpu-kernels.ts). */
/** The engine's threads: a twin thread taking half of each batch, and TensorFlow's pool. */
export const ThreadInfoSchema = z.object({
  twin: z.boolean(),
  /** TensorFlow's intra-op pool size, or null for TensorFlow's default (one per core). */
  intraOpThreads: z.number().int().positive().nullable(),
  reason: z.string(),
});
export type ThreadInfo = z.infer<typeof ThreadInfoSchema>;

export const KernelInfoSchema = z.object({
  /** oneDNN on or off, or TensorFlow's own default for this CPU (not set by anyone). */
  onednn: z.enum(['on', 'off', 'tensorflow-default']),
  decidedBy: z.enum(['environment', 'engine']),
  reason: z.string(),
  threads: ThreadInfoSchema.optional(),
});
export type KernelInfo = z.infer<typeof KernelInfoSchema>;

export const EngineInfoSchema = z.object({
  tfjs: z.string(),
  tensorflow: z.string(),
  backend: z.string(),
  kernels: KernelInfoSchema,
  pid: z.number().int(),
  training: z.boolean(),
  model: ModelSummarySchema.nullable(),
  /** The model the current one replaced, which restore-previous-model brings back. */
  previousModel: ModelSummarySchema.nullable(),
  runsDir: z.string(),
  memory: z.object({
    rssBytes: z.number(),
    /** Peak resident set size of the engine process since it started. */
    peakRssBytes: z.number(),
    numTensors: z.number().int(),
    numBytes: z.number(),
  }),
});

export const TrainSummarySchema = z.object({
  stopped: z.boolean(),
  epochs: z.number().int(),
  batchesInLastEpoch: z.number().int(),
  trainSamples: z.number().int(),
  validationSamples: z.number().int(),
  testSamples: z.number().int(),
  trainSeconds: finite,
  samplesPerSecond: finite,
  testLoss: finite,
  testAccuracy: finite,
  finalTrainLoss: finite.nullable(),
  params: z.number().int(),
  /** The run folder this training was recorded in. */
  runId: z.string().nullable(),
  /** With early stopping on: the epoch whose weights the model was given back, and why. */
  earlyStop: EarlyStopSchema.optional(),
});
export type TrainSummary = z.infer<typeof TrainSummarySchema>;

export const ClassMetricsSchema = z.object({
  precision: finite,
  recall: finite,
  f1: finite,
  support: z.number().int().nonnegative(),
});

/** A typed array of a given constructor and length (binary payloads: never JSON number arrays). */
export function typedArrayOf<T extends Int32Array | Float32Array | Uint8Array>(
  ctor: new (length: number) => T,
  what: string,
) {
  return z.custom<T>((v) => v instanceof ctor, { message: `${what} must be a ${ctor.name}` });
}

/**
 * Per test sample, in dataset order (sample i is test image i): what a gallery needs. Binary
 * arrays, as the engine's channel carries them (advanced serialisation / structured clone).
 */
export const SampleDetailsSchema = z
  .object({
    labels: typedArrayOf(Int32Array, 'labels'),
    predicted: typedArrayOf(Int32Array, 'predicted'),
    /** The three most likely classes of sample i at [3i, 3i+3), most likely first. */
    top3: typedArrayOf(Int32Array, 'top3'),
    /** Their probabilities, same layout; top3Probabilities[3i] is sample i's confidence. */
    top3Probabilities: typedArrayOf(Float32Array, 'top3Probabilities'),
    /** All ten probabilities of sample i at [10i, 10i+10), when asked for. */
    probabilities: typedArrayOf(Float32Array, 'probabilities').optional(),
  })
  .refine(
    (d) =>
      d.predicted.length === d.labels.length &&
      d.top3.length === 3 * d.labels.length &&
      d.top3Probabilities.length === 3 * d.labels.length &&
      (d.probabilities === undefined || d.probabilities.length === 10 * d.labels.length),
    'per-sample arrays of inconsistent lengths',
  );
export type SampleDetails = z.infer<typeof SampleDetailsSchema>;

export const EvaluationSchema = z.object({
  testLoss: finite,
  testAccuracy: finite,
  samples: z.number().int(),
  /** confusion[actual][predicted] */
  confusion: z.array(z.array(z.number().int())),
  /** Precision, recall, F1 and support per class (empty when the confusion was not asked for). */
  perClass: z.array(ClassMetricsSchema),
  /** Per-sample predictions, when the request asked for `details`. */
  details: SampleDetailsSchema.optional(),
  /** The data evaluated (its name, fingerprint and classes), to check against the model's. */
  dataset: DatasetIdentitySchema.optional(),
});
export type Evaluation = z.infer<typeof EvaluationSchema>;

export const PredictionSchema = z.object({
  predicted: z.number().int().min(0).max(9),
  confidence: finite,
  probabilities: z.array(finite).length(10),
});
export type Prediction = z.infer<typeof PredictionSchema>;

export const FileClassificationSchema = z.object({
  path: z.string(),
  predicted: z.number().int().min(0).max(9).nullable(),
  confidence: finite.nullable(),
  probabilities: z.array(finite).length(10).nullable(),
  /** Why the file could not be classified; null for a good file. */
  error: z.string().nullable(),
  warnings: z.array(z.string()),
});
export type FileClassification = z.infer<typeof FileClassificationSchema>;

/**
 * What classify-images found for each image, by column (binary arrays, whatever the count):
 * image i's class is predicted[i] (−1 when it could not be decoded: errors[i] says why), its
 * ten probabilities are probabilities[10i, 10i+10) and the 28×28 the network saw, as grey
 * bytes (round(255·pixel)), is thumbnails[784i, 784i+784); both zero for a failed image.
 */
export const ClassifiedImagesSchema = z
  .object({
    predicted: typedArrayOf(Int32Array, 'predicted'),
    probabilities: typedArrayOf(Float32Array, 'probabilities'),
    thumbnails: typedArrayOf(Uint8Array, 'thumbnails'),
    errors: z.array(z.string().nullable()),
    warnings: z.array(z.array(z.string())),
  })
  .refine(
    (c) =>
      c.probabilities.length === 10 * c.predicted.length &&
      c.thumbnails.length === IMAGE_PIXELS * c.predicted.length &&
      c.errors.length === c.predicted.length &&
      c.warnings.length === c.predicted.length,
    'per-image arrays of inconsistent lengths',
  );
export type ClassifiedImages = z.infer<typeof ClassifiedImagesSchema>;

const ack = z.object({ ok: z.literal(true) });

/** What every layer computed for one input, and the filters of every convolution. */
export const FeatureMapsSchema = z.object({
  layers: z.array(
    z.object({
      name: z.string(),
      /** The layer registry's kind (conv, pool, flatten, dense, …), or the tf.layers class. */
      kind: z.string(),
      /** Without the batch dimension: [h, w, maps] for images, [units] for vectors. */
      shape: z.array(z.number().int().positive()),
      /** Row-major in `shape` (maps last: value (r, c, m) at (r·w + c)·maps + m). */
      values: typedArrayOf(Float32Array, 'values'),
    }),
  ),
  filters: z.array(
    z.object({
      layer: z.string(),
      kernelSize: z.number().int().positive(),
      /** Input maps each filter reads (C1: 1; C3: 6). */
      inputs: z.number().int().positive(),
      /** Filters (output maps). */
      outputs: z.number().int().positive(),
      /** [output][input][row][col]: each k×k image contiguous. */
      values: typedArrayOf(Float32Array, 'values'),
    }),
  ),
  /** Engine time spent on the request. */
  milliseconds: finite,
});
export type FeatureMaps = z.infer<typeof FeatureMapsSchema>;

/** Images of a dataset split, by index: 28×28 bytes each (0 = background, 255 = ink). */
export const DatasetImagesSchema = z
  .object({
    indices: typedArrayOf(Int32Array, 'indices'),
    labels: typedArrayOf(Int32Array, 'labels'),
    /** Image k at [784k, 784k + 784), row-major. */
    pixels: typedArrayOf(Uint8Array, 'pixels'),
  })
  .refine(
    (r) =>
      r.labels.length === r.indices.length && r.pixels.length === r.indices.length * IMAGE_PIXELS,
    'image arrays of inconsistent lengths',
  );
export type DatasetImages = z.infer<typeof DatasetImagesSchema>;

/** What a dataset holds, before any training: the Dataset view. */
export const DatasetSummarySchema = z.object({
  name: z.string(),
  /** Where it was read from (the bundled copy's folder too). */
  dir: z.string(),
  format: z.enum(['idx', 'image-folder']),
  fingerprint: z.string(),
  totals: z.object({ train: z.number().int().nonnegative(), test: z.number().int().nonnegative() }),
  /** One entry per class the dataset defines, by label. */
  classes: z.array(
    z.object({
      label: z.number().int().nonnegative(),
      /** The folder name of an image-folder class; the digit for IDX datasets. */
      name: z.string(),
      counts: z.object({
        train: z.number().int().nonnegative(),
        test: z.number().int().nonnegative(),
      }),
      /** Indices into each split (for dataset-images) of the class's first images. */
      samples: z.object({ train: z.array(z.number().int()), test: z.array(z.number().int()) }),
    }),
  ),
  /** Image folders: files that could not be decoded, and class folders without images. */
  broken: z.array(z.object({ path: z.string(), error: z.string() })),
  emptyClasses: z.array(z.string()),
});
export type DatasetSummary = z.infer<typeof DatasetSummarySchema>;
/** One row of a layer table. */
export const LayerRowSchema = z.object({
  name: z.string(),
  /** The layer registry's kind. */
  kind: z.string(),
  /** Without the batch dimension. */
  output: z.array(z.number().int().nonnegative()),
  /** Trainable parameters (a masked kernel's connected entries; fixed prototypes not counted). */
  params: z.number().int().nonnegative(),
});
export const LayerTableSchema = z.object({
  input: z.array(z.number().int().nonnegative()),
  loss: z.string().nullable(),
  layers: z.array(LayerRowSchema),
  total: z.number().int().nonnegative(),
  /** Why the chosen shapes cannot work (then no layers), or null. */
  error: z.string().nullable(),
});
export type LayerTable = z.infer<typeof LayerTableSchema>;

/** A preview grid: rows × (variants + 1) tiles, 1 pixel apart, 0 background … 255 ink. */
export const DistortionPreviewSchema = z
  .object({
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    /** Side of one tile in pixels. */
    side: z.number().int().positive(),
    pixels: typedArrayOf(Uint8Array, 'pixels'),
    /** The label of each row's sample. */
    labels: typedArrayOf(Int32Array, 'labels'),
  })
  .refine((r) => r.pixels.length === r.width * r.height, 'pixels do not fill width × height');
export type DistortionPreview = z.infer<typeof DistortionPreviewSchema>;

/** What a learning-rate range test found: the sweep's points and the rate it suggests. */
export const LrRangeTestSchema = z.object({
  /** One point per batch trained, rates increasing. */
  points: z.array(z.object({ lr: finite, loss: z.number(), smoothed: z.number() })),
  /** Where the smoothed loss fell fastest (null: too few points to tell). */
  suggested: finite.nullable(),
  /** The rate at the lowest smoothed loss. */
  minLossLr: finite.nullable(),
  rule: z.enum(['steepest', 'min/10']).nullable(),
  /** True when the sweep ended early because the loss blew up. */
  diverged: z.boolean(),
  batchSize: z.number().int().positive(),
  seconds: finite,
});
export type LrRangeTest = z.infer<typeof LrRangeTestSchema>;

export const EngineResultSchemas = {
  info: EngineInfoSchema,
  train: TrainSummarySchema,
  pause: ack,
  resume: ack,
  stop: ack,
  evaluate: EvaluationSchema,
  'dataset-images': DatasetImagesSchema,
  'dataset-summary': DatasetSummarySchema,
  activations: FeatureMapsSchema,
  'describe-model': LayerTableSchema,
  'lr-range-test': LrRangeTestSchema,
  'distortion-preview': DistortionPreviewSchema,
  predict: z.array(PredictionSchema),
  'classify-files': z.array(FileClassificationSchema),
  'classify-images': ClassifiedImagesSchema,
  'save-model': z.object({ dir: z.string(), files: z.array(z.string()) }),
  'load-model': ModelSummarySchema,
  'list-runs': z.array(RunSummarySchema),
  'run-metrics': z.array(EpochMetricsSchema),
  'run-batches': RunBatchesSchema,
  'rename-run': RunRecordSchema,
  'delete-run': ack,
  'load-run': ModelSummarySchema,
  'resume-run': TrainSummarySchema,
  'restore-previous-model': ModelSummarySchema,
} as const satisfies Record<EngineRequestType, z.ZodType>;
export type EngineResult<T extends EngineRequestType> = z.infer<(typeof EngineResultSchemas)[T]>;

// ---------------------------------------------------------------------------------------------
// Events (engine → host)

export const TrainingEventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('train-started'),
    runId: z.string().nullable(),
    /** Epoch a resumed run continues in (0 for a new run). */
    startEpoch: z.number().int(),
    epochs: z.number().int(),
    batchesPerEpoch: z.number().int(),
    trainSamples: z.number().int(),
    validationSamples: z.number().int(),
    testSamples: z.number().int(),
    params: z.number().int(),
    config: TrainingConfigSchema,
    /**
     * The data it trains on (name, fingerprint, class names), so the run's views name its
     * classes from the first epoch on; absent where the trainer runs without it (scripts).
     */
    dataset: DatasetIdentitySchema.optional(),
  }),
  z.object({
    kind: z.literal('batch'),
    epoch: z.number().int(),
    batch: z.number().int(),
    batchesPerEpoch: z.number().int(),
    loss: finite,
    accuracy: finite,
    learningRate: finite,
    samplesPerSecond: finite,
    elapsedSeconds: finite,
    etaSeconds: finite,
  }),
  EpochEventSchema,
  z.object({ kind: z.literal('paused'), epoch: z.number().int(), batch: z.number().int() }),
  z.object({ kind: z.literal('resumed'), epoch: z.number().int(), batch: z.number().int() }),
  z.object({ kind: z.literal('train-done'), summary: TrainSummarySchema }),
  z.object({ kind: z.literal('train-failed'), message: z.string() }),
  z.object({
    kind: z.literal('log'),
    level: z.enum(['info', 'warn', 'error']),
    message: z.string(),
  }),
]);
export type TrainingEvent = z.infer<typeof TrainingEventSchema>;

// ---------------------------------------------------------------------------------------------
// Envelopes actually sent over the process channel

export const EngineErrorSchema = z.object({ message: z.string(), code: z.string().optional() });

// A plain union: the two result shapes share their `type`.
export const EngineMessageSchema = z.union([
  z.object({ type: z.literal('ready'), pid: z.number().int() }),
  z.object({ type: z.literal('result'), id, ok: z.literal(true), value: z.unknown() }),
  z.object({ type: z.literal('result'), id, ok: z.literal(false), error: EngineErrorSchema }),
  z.object({ type: z.literal('event'), event: TrainingEventSchema }),
  /** Sent back when a request could not even be parsed (so it has no usable id). */
  z.object({ type: z.literal('rejected'), id: id.nullable(), error: EngineErrorSchema }),
]);
export type EngineMessage = z.infer<typeof EngineMessageSchema>;
