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
import { DatasetRefSchema, TrainingConfigSchema } from './training-config';

const none = z.undefined();
const ack = z.object({ ok: z.literal(true) });

export const studioContract = {
  getInfo: {
    channel: 'studio:info',
    request: none,
    response: z.object({
      engine: EngineInfoSchema,
      /** 'electron' has native dialogs; 'browser' asks for folder paths as text. */
      host: z.enum(['electron', 'browser']),
      appVersion: z.string(),
    }),
  },
  startTraining: {
    channel: 'training:start',
    request: TrainingConfigSchema,
    response: TrainSummarySchema,
  },
  pauseTraining: { channel: 'training:pause', request: none, response: ack },
  resumeTraining: { channel: 'training:resume', request: none, response: ack },
  stopTraining: { channel: 'training:stop', request: none, response: ack },
  evaluate: {
    channel: 'model:evaluate',
    request: z
      .object({
        dataset: DatasetRefSchema.optional(),
        testLimit: z.number().int().min(1).optional(),
      })
      .strict(),
    response: EvaluationSchema,
  },
  predict: {
    channel: 'model:predict',
    request: z.array(PixelRowSchema).min(1).max(MAX_PREDICT_BATCH),
    response: z.array(PredictionSchema),
  },
  exportModel: {
    channel: 'model:export',
    request: z.object({ dir: z.string().min(1), singleFile: z.boolean().optional() }).strict(),
    response: z.object({ dir: z.string(), files: z.array(z.string()) }),
  },
  loadModel: {
    channel: 'model:load',
    request: z.object({ dir: z.string().min(1) }).strict(),
    response: ModelSummarySchema,
  },
  chooseDatasetFolder: {
    channel: 'dialog:choose-dataset',
    request: none,
    response: z.string().nullable(),
  },
  chooseExportFolder: {
    channel: 'dialog:choose-export',
    request: none,
    response: z.string().nullable(),
  },
} as const;

export type StudioVerb = keyof typeof studioContract;
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
export const STUDIO_EVENT_CHANNEL = 'studio:event';

type VerbFn<V extends StudioVerb> =
  undefined extends VerbRequest<V>
    ? (payload?: VerbRequest<V>) => Promise<VerbResponse<V>>
    : (payload: VerbRequest<V>) => Promise<VerbResponse<V>>;

/** What the renderer sees, from the preload (Electron) or the WebSocket client (browser). */
export type StudioApi = { [V in StudioVerb]: VerbFn<V> } & {
  /** Subscribes to events; returns the unsubscribe. */
  onEvent(listener: (event: StudioEvent) => void): () => void;
};

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
