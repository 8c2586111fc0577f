// The contract between the UI and its host, identical over Electron IPC and the browser-mode
// WebSocket. Each verb names a channel with a request and a response schema; the preload, the
// IPC registrar, the WebSocket server and client all derive their types from this one table.
import { z } from 'zod';
import {
  EngineInfoSchema,
  EvaluationSchema,
  MAX_PREDICT_BATCH,
  ModelSummarySchema,
  PixelRowSchema,
  PredictionSchema,
  TrainSummarySchema,
  TrainingEventSchema,
} from './engine-protocol';
import {
  EpochMetricsSchema,
  RUN_ID_PATTERN,
  RunRecordSchema,
  RunSummarySchema,
} from './run-record';
import {
  progressSubscriber,
  STUDIO_CHANNELS,
  STUDIO_EVENT_CHANNEL,
  type StudioVerb,
} from './studio-channels';
import { DatasetRefSchema, TrainingConfigSchema } from './training-config';

const none = z.undefined();
const runRef = z.object({ runId: z.string().regex(RUN_ID_PATTERN, 'not a run id') }).strict();
const ack = z.object({ ok: z.literal(true) });

export const studioContract = {
  getInfo: {
    channel: STUDIO_CHANNELS.getInfo,
    request: none,
    response: z.object({
      engine: EngineInfoSchema,
      /** 'electron' has native dialogs; 'browser' asks for folder paths as text. */
      host: z.enum(['electron', 'browser']),
      appVersion: z.string(),
    }),
  },
  startTraining: {
    channel: STUDIO_CHANNELS.startTraining,
    request: TrainingConfigSchema,
    response: TrainSummarySchema,
  },
  pauseTraining: { channel: STUDIO_CHANNELS.pauseTraining, request: none, response: ack },
  resumeTraining: { channel: STUDIO_CHANNELS.resumeTraining, request: none, response: ack },
  stopTraining: { channel: STUDIO_CHANNELS.stopTraining, request: none, response: ack },
  evaluate: {
    channel: STUDIO_CHANNELS.evaluate,
    request: z
      .object({
        dataset: DatasetRefSchema.optional(),
        testLimit: z.number().int().min(1).optional(),
      })
      .strict(),
    response: EvaluationSchema,
  },
  predict: {
    channel: STUDIO_CHANNELS.predict,
    request: z.array(PixelRowSchema).min(1).max(MAX_PREDICT_BATCH),
    response: z.array(PredictionSchema),
  },
  exportModel: {
    channel: STUDIO_CHANNELS.exportModel,
    request: z.object({ dir: z.string().min(1), singleFile: z.boolean().optional() }).strict(),
    response: z.object({ dir: z.string(), files: z.array(z.string()) }),
  },
  loadModel: {
    channel: STUDIO_CHANNELS.loadModel,
    request: z.object({ dir: z.string().min(1) }).strict(),
    response: ModelSummarySchema,
  },
  listRuns: {
    channel: STUDIO_CHANNELS.listRuns,
    request: none,
    response: z.array(RunSummarySchema),
  },
  runMetrics: {
    channel: STUDIO_CHANNELS.runMetrics,
    request: runRef,
    response: z.array(EpochMetricsSchema),
  },
  renameRun: {
    channel: STUDIO_CHANNELS.renameRun,
    request: runRef.extend({ name: z.string().min(1).max(200) }).strict(),
    response: RunRecordSchema,
  },
  deleteRun: { channel: STUDIO_CHANNELS.deleteRun, request: runRef, response: ack },
  /** Opens a run's last checkpoint as the current model (to classify, evaluate or export). */
  loadRun: { channel: STUDIO_CHANNELS.loadRun, request: runRef, response: ModelSummarySchema },
  /** Continues an interrupted or stopped run from its last checkpoint. */
  resumeRun: { channel: STUDIO_CHANNELS.resumeRun, request: runRef, response: TrainSummarySchema },
  chooseDatasetFolder: {
    channel: STUDIO_CHANNELS.chooseDatasetFolder,
    request: none,
    response: z.string().nullable(),
  },
  chooseExportFolder: {
    channel: STUDIO_CHANNELS.chooseExportFolder,
    request: none,
    response: z.string().nullable(),
  },
  /** A model.json (weights beside it) or a single-file export, for loadModel. */
  chooseModelFile: {
    channel: STUDIO_CHANNELS.chooseModelFile,
    request: none,
    response: z.string().nullable(),
  },
} as const satisfies Record<
  StudioVerb,
  { channel: string; request: z.ZodType; response: z.ZodType }
>;

export type { StudioVerb };
export type StudioChannel = (typeof studioContract)[StudioVerb]['channel'];
export type VerbRequest<V extends StudioVerb> = z.input<(typeof studioContract)[V]['request']>;
export type VerbRequestParsed<V extends StudioVerb> = z.output<
  (typeof studioContract)[V]['request']
>;
export type VerbResponse<V extends StudioVerb> = z.output<(typeof studioContract)[V]['response']>;

/** Events pushed to the UI: the engine's training events plus the host's own. */
export const StudioEventSchema = z.union([
  TrainingEventSchema,
  z.object({ kind: z.literal('engine-crashed'), reason: z.string() }),
  z.object({ kind: z.literal('engine-restarted'), pid: z.number().int() }),
]);
export type StudioEvent = z.infer<typeof StudioEventSchema>;
export { STUDIO_EVENT_CHANNEL };

type VerbFn<V extends StudioVerb> =
  undefined extends VerbRequest<V>
    ? (payload?: VerbRequest<V>) => Promise<VerbResponse<V>>
    : (payload: VerbRequest<V>) => Promise<VerbResponse<V>>;

/** What the renderer sees, from the preload (Electron) or the WebSocket client (browser). */
export type StudioApi = { [V in StudioVerb]: VerbFn<V> } & {
  /** Subscribes to events; returns the unsubscribe. */
  onEvent(listener: (event: StudioEvent) => void): () => void;
  /** Subscribes to training progress only (batch and epoch events); returns the unsubscribe. */
  onProgress(listener: (event: ProgressEvent) => void): () => void;
};

export type ProgressEvent = Extract<StudioEvent, { kind: 'batch' | 'epoch' }>;
export { progressSubscriber };

export const studioVerbs = Object.keys(studioContract) as StudioVerb[];

/** Looks up a verb by channel name (for the registrar and the WebSocket server). */
export function verbForChannel(channel: string): StudioVerb | undefined {
  return studioVerbs.find((verb) => studioContract[verb].channel === channel);
}

// Browser-mode wire format over the WebSocket (JSON).
export const WsClientMessageSchema = z
  .object({ id: z.number().int().nonnegative(), channel: z.string(), payload: z.unknown() })
  .strict();
export const WsServerMessageSchema = z.union([
  z.object({
    type: z.literal('response'),
    id: z.number().int(),
    ok: z.literal(true),
    value: z.unknown(),
  }),
  z.object({
    type: z.literal('response'),
    id: z.number().int(),
    ok: z.literal(false),
    error: z.string(),
  }),
  z.object({ type: z.literal('event'), event: StudioEventSchema }),
]);
export type WsServerMessage = z.infer<typeof WsServerMessageSchema>;
