// The operation table: one entry per thing the UI can ask of its host, and the only place an
// operation is named. Each entry gives its IPC channel (also the WebSocket `channel`), the
// payload and result schemas, the engine request it becomes (null: the host answers itself),
// and which payload fields are paths (the folder policy checks those). The preload, the
// WebSocket client, the IPC registrar, the WebSocket bridge and the studio backend are all
// generated from this table; the types in studio-contract.ts are derived from it.
import { z } from 'zod';
import {
  EngineInfoSchema,
  DatasetIndicesSchema,
  MAX_SUMMARY_SAMPLES,
  DistortionStrengthsSchema,
  MAX_PREVIEW_ROWS,
  EngineResultSchemas,
  ImageBytesSchema,
  ImageInputSchema,
  ModelPathSchema,
  PredictInputsSchema,
  BatchPointLimitSchema,
  RunIdSchema,
  RunNameSchema,
  TestLimitSchema,
  type EngineRequestInput,
  type EngineRequestType,
} from './engine-protocol';
import { StudioEventSchema } from './studio-events';
import { DatasetRefSchema, TrainingConfigSchema } from './training-config';

/** What a path is for; the folder policy's rules differ (an export writes, the others read). */
export type PathUse = 'dataset' | 'model' | 'export';
export const PathUseSchema = z.enum(['dataset', 'model', 'export']);

/** A path inside a payload: where it is, what it is for, and how to put the checked one back. */
export interface PathField<P> {
  use: PathUse;
  /** How messages name it, e.g. `dataset.path`. */
  field: string;
  get(payload: P): string | undefined;
  set(payload: P, path: string): P;
}

/** The engine request's own fields (no id, no type). */
export type EngineArgs<T extends EngineRequestType> = Omit<
  Extract<EngineRequestInput, { type: T }>,
  'id' | 'type'
>;

interface BaseSpec<C extends string, Req extends z.ZodType> {
  channel: C;
  request: Req;
  paths: ReadonlyArray<PathField<z.output<Req>>>;
}

export interface EngineOperation<
  C extends string = string,
  Req extends z.ZodType = z.ZodType,
  T extends EngineRequestType = EngineRequestType,
> extends BaseSpec<C, Req> {
  response: (typeof EngineResultSchemas)[T];
  engine: { type: T; args: (payload: z.output<Req>) => EngineArgs<T> };
}

export interface HostOperation<
  C extends string = string,
  Req extends z.ZodType = z.ZodType,
  Res extends z.ZodType = z.ZodType,
> extends BaseSpec<C, Req> {
  response: Res;
  engine: null;
}

/** An operation the engine answers; its result schema is the engine's. */
function engineOp<C extends string, Req extends z.ZodType, T extends EngineRequestType>(spec: {
  channel: C;
  request: Req;
  engine: T;
  args: (payload: z.output<Req>) => EngineArgs<T>;
  paths?: ReadonlyArray<PathField<z.output<Req>>>;
}): EngineOperation<C, Req, T> {
  return {
    channel: spec.channel,
    request: spec.request,
    response: EngineResultSchemas[spec.engine],
    engine: { type: spec.engine, args: spec.args },
    paths: spec.paths ?? [],
  };
}

/** An operation the host answers itself (dialogs, grants, the host's own info). */
function hostOp<C extends string, Req extends z.ZodType, Res extends z.ZodType>(spec: {
  channel: C;
  request: Req;
  response: Res;
  paths?: ReadonlyArray<PathField<z.output<Req>>>;
}): HostOperation<C, Req, Res> {
  return { ...spec, engine: null, paths: spec.paths ?? [] };
}

const none = z.undefined();
const noArgs = (): Record<string, never> => ({});
const runRef = z.object({ runId: RunIdSchema }).strict();
const chosenPath = z.string().nullable();

const evaluateRequest = z
  .object({
    dataset: DatasetRefSchema.optional(),
    testLimit: TestLimitSchema.optional(),
    /** Per-sample predictions and top-3 probabilities (binary arrays) for the galleries. */
    details: z.boolean().optional(),
  })
  .strict();
const datasetImagesRequest = z
  .object({
    dataset: DatasetRefSchema.optional(),
    split: z.enum(['train', 'test']).optional(),
    indices: DatasetIndicesSchema,
  })
  .strict();
const datasetSummaryRequest = z
  .object({
    dataset: DatasetRefSchema.optional(),
    perClass: z.number().int().min(0).max(MAX_SUMMARY_SAMPLES).optional(),
  })
  .strict();
const distortionPreviewRequest = z
  .object({
    dataset: DatasetRefSchema.optional(),
    strengths: DistortionStrengthsSchema,
    seed: z.number().int(),
    rows: z.number().int().min(1).max(MAX_PREVIEW_ROWS).optional(),
    variants: z.number().int().min(1).max(MAX_PREVIEW_ROWS).optional(),
  })
  .strict();
type DatasetHolder = { dataset?: z.output<typeof DatasetRefSchema> };

/** The dataset folder of a training config or an evaluate request (the bundled one has none). */
function datasetPath<P extends DatasetHolder>(): PathField<P> {
  return {
    use: 'dataset',
    field: 'dataset.path',
    get: (payload) => (payload.dataset?.kind === 'folder' ? payload.dataset.path : undefined),
    set: (payload, path) => ({ ...payload, dataset: { kind: 'folder' as const, path } }),
  };
}

function dirField<P extends { dir: string }>(use: PathUse): PathField<P> {
  return { use, field: 'dir', get: (payload) => payload.dir, set: (p, dir) => ({ ...p, dir }) };
}

export const operations = {
  getInfo: hostOp({
    channel: 'studio:info',
    request: none,
    response: z.object({
      engine: EngineInfoSchema,
      /** 'electron' has native dialogs; 'browser' asks for folder paths as text. */
      host: z.enum(['electron', 'browser']),
      appVersion: z.string(),
    }),
  }),
  startTraining: engineOp({
    channel: 'training:start',
    request: TrainingConfigSchema,
    engine: 'train',
    args: (config) => ({ config }),
    paths: [datasetPath<z.output<typeof TrainingConfigSchema>>()],
  }),
  pauseTraining: engineOp({
    channel: 'training:pause',
    request: none,
    engine: 'pause',
    args: noArgs,
  }),
  resumeTraining: engineOp({
    channel: 'training:resume',
    request: none,
    engine: 'resume',
    args: noArgs,
  }),
  stopTraining: engineOp({ channel: 'training:stop', request: none, engine: 'stop', args: noArgs }),
  /**
   * The events of the current (or last) run since it started, kept by the host: a page that
   * connects late (a reload, a second tab, a reconnect) replays them and shows the same run.
   */
  trainingSnapshot: hostOp({
    channel: 'training:snapshot',
    request: none,
    response: z.array(StudioEventSchema),
  }),
  evaluate: engineOp({
    channel: 'model:evaluate',
    request: evaluateRequest,
    engine: 'evaluate',
    args: (req) => ({
      dataset: req.dataset ?? { kind: 'bundled' as const },
      testLimit: req.testLimit,
      details: req.details,
    }),
    paths: [datasetPath<z.output<typeof evaluateRequest>>()],
  }),
  /** The 28×28 bytes of dataset images by index (an evaluation's sample i is test image i). */
  datasetImages: engineOp({
    channel: 'dataset:images',
    request: datasetImagesRequest,
    engine: 'dataset-images',
    args: (req) => ({
      dataset: req.dataset ?? { kind: 'bundled' as const },
      split: req.split,
      indices: req.indices,
    }),
    paths: [datasetPath<z.output<typeof datasetImagesRequest>>()],
  }),
  /** A dataset's classes, counts per split and sample indices per class, before training. */
  datasetSummary: engineOp({
    channel: 'dataset:summary',
    request: datasetSummaryRequest,
    engine: 'dataset-summary',
    args: (req) => ({
      dataset: req.dataset ?? { kind: 'bundled' as const },
      perClass: req.perClass,
    }),
    paths: [datasetPath<z.output<typeof datasetSummaryRequest>>()],
  }),
  predict: engineOp({
    channel: 'model:predict',
    request: PredictInputsSchema,
    engine: 'predict',
    args: (inputs) => ({ inputs }),
  }),
  /**
   * Encoded image files (the Classify view's dropped files) decoded, preprocessed and
   * classified by the engine, as classify-files does for files on disk: results by column.
   */
  classifyImages: engineOp({
    channel: 'model:classify-images',
    request: ImageBytesSchema,
    engine: 'classify-images',
    args: (images) => ({ images }),
  }),
  /**
   * Every layer's activations for one 28×28 input (a drawn digit, a gallery image), and the
   * convolution filters, as Float32Arrays.
   */
  activations: engineOp({
    channel: 'model:activations',
    request: z.object({ input: ImageInputSchema, training: z.boolean().optional() }).strict(),
    engine: 'activations',
    args: ({ input, training }) => ({ input, training }),
  }),
  /** The layer table of a configuration (type, output shape, parameters), or its shape fault. */
  describeModel: engineOp({
    channel: 'model:describe',
    request: TrainingConfigSchema,
    engine: 'describe-model',
    args: (config) => ({ config }),
  }),
  /**
   * The learning-rate range test on the form's settings: a throwaway copy of the model trains
   * 100 batches at rates from 1e-5 to 1; the loss per rate and a suggested rate come back.
   */
  findLearningRate: engineOp({
    channel: 'training:find-lr',
    request: TrainingConfigSchema,
    engine: 'lr-range-test',
    args: (config) => ({ config }),
    paths: [datasetPath<z.output<typeof TrainingConfigSchema>>()],
  }),
  /**
   * Training samples beside seeded distortions of them, as one grid of bytes (Uint8Array) with
   * each row's label: what the distortion strengths do, before training with them.
   */
  distortionPreview: engineOp({
    channel: 'dataset:distortion-preview',
    request: distortionPreviewRequest,
    engine: 'distortion-preview',
    args: (req) => ({
      dataset: req.dataset ?? { kind: 'bundled' as const },
      strengths: req.strengths,
      seed: req.seed,
      rows: req.rows ?? 4,
      variants: req.variants ?? 7,
    }),
    paths: [datasetPath<z.output<typeof distortionPreviewRequest>>()],
  }),
  exportModel: engineOp({
    channel: 'model:export',
    request: z.object({ dir: ModelPathSchema, singleFile: z.boolean().optional() }).strict(),
    engine: 'save-model',
    args: ({ dir, singleFile }) => ({ dir, singleFile }),
    paths: [dirField('export')],
  }),
  loadModel: engineOp({
    channel: 'model:load',
    request: z.object({ dir: ModelPathSchema }).strict(),
    engine: 'load-model',
    args: ({ dir }) => ({ dir }),
    paths: [dirField('model')],
  }),
  listRuns: engineOp({ channel: 'runs:list', request: none, engine: 'list-runs', args: noArgs }),
  runMetrics: engineOp({
    channel: 'runs:metrics',
    request: runRef,
    engine: 'run-metrics',
    args: ({ runId }) => ({ runId }),
  }),
  /**
   * A run's batch-level loss and accuracy (the throttled progress points it recorded), at most
   * `limit` of them (default 2,000): a long run comes back thinned evenly. Runs recorded before
   * the studio kept them have none.
   */
  runBatches: engineOp({
    channel: 'runs:batches',
    request: runRef.extend({ limit: BatchPointLimitSchema.optional() }).strict(),
    engine: 'run-batches',
    args: ({ runId, limit }) => ({ runId, limit }),
  }),
  renameRun: engineOp({
    channel: 'runs:rename',
    request: runRef.extend({ name: RunNameSchema }).strict(),
    engine: 'rename-run',
    args: ({ runId, name }) => ({ runId, name }),
  }),
  deleteRun: engineOp({
    channel: 'runs:delete',
    request: runRef,
    engine: 'delete-run',
    args: ({ runId }) => ({ runId }),
  }),
  /** Opens a run's last checkpoint as the current model (to classify, evaluate or export). */
  loadRun: engineOp({
    channel: 'runs:load',
    request: runRef,
    engine: 'load-run',
    args: ({ runId }) => ({ runId }),
  }),
  /** Continues an interrupted or stopped run from its last checkpoint. */
  resumeRun: engineOp({
    channel: 'runs:resume',
    request: runRef,
    engine: 'resume-run',
    args: ({ runId }) => ({ runId }),
  }),
  /** Back to the model the current one replaced (a finished run, a load); again to undo. */
  restorePreviousModel: engineOp({
    channel: 'model:restore-previous',
    request: none,
    engine: 'restore-previous-model',
    args: noArgs,
  }),
  chooseDatasetFolder: hostOp({
    channel: 'dialog:choose-dataset',
    request: none,
    response: chosenPath,
  }),
  chooseExportFolder: hostOp({
    channel: 'dialog:choose-export',
    request: none,
    response: chosenPath,
  }),
  /** A model.json (weights beside it) or a single-file export, for loadModel. */
  chooseModelFile: hostOp({ channel: 'dialog:choose-model', request: none, response: chosenPath }),
  /**
   * Browser mode: the person typed a path into a path field and submitted it; that act is what
   * lets the path-taking operations reach it (Electron's grant is the native dialog instead).
   * Answers with the path as it will be used (absolute, links resolved).
   */
  grantPath: hostOp({
    channel: 'paths:grant',
    request: z.object({ path: z.string().min(1), use: PathUseSchema }).strict(),
    response: z.object({ path: z.string() }),
  }),
} as const;

export type StudioVerb = keyof typeof operations;
export type Operation<V extends StudioVerb> = (typeof operations)[V];
export const studioVerbs = Object.keys(operations) as StudioVerb[];

/** Verbs the engine answers, and verbs each host answers itself. */
export type EngineVerb = {
  [V in StudioVerb]: Operation<V>['engine'] extends null ? never : V;
}[StudioVerb];
export type HostVerb = Exclude<StudioVerb, EngineVerb>;

/** Looks up a verb by channel name (for the registrar and the WebSocket bridge). */
export function verbForChannel(channel: string): StudioVerb | undefined {
  return studioVerbs.find((verb) => operations[verb].channel === channel);
}
