// The contract between the UI and its host, identical over Electron IPC and the browser-mode
// WebSocket: the types derived from the operation table (src/shared/operations.ts), the events
// pushed to the UI, and the WebSocket's wire format. Nothing here is kept by hand per verb.
import { z } from 'zod';
import { operations, studioVerbs, verbForChannel, type StudioVerb } from './operations';
import { StudioEventSchema, type StudioEvent } from './studio-events';

export { studioVerbs, verbForChannel, type StudioVerb };

export type VerbRequest<V extends StudioVerb> = z.input<(typeof operations)[V]['request']>;
export type VerbRequestParsed<V extends StudioVerb> = z.output<(typeof operations)[V]['request']>;
export type VerbResponse<V extends StudioVerb> = z.output<(typeof operations)[V]['response']>;

export { StudioEventSchema, type StudioEvent };

/** The IPC channel events travel on (Electron). */
export const STUDIO_EVENT_CHANNEL = 'studio:event';

type VerbFn<V extends StudioVerb> =
  undefined extends VerbRequest<V>
    ? (payload?: VerbRequest<V>) => Promise<VerbResponse<V>>
    : (payload: VerbRequest<V>) => Promise<VerbResponse<V>>;

/** One function per verb: what the preload and the WebSocket client build from the table. */
export type StudioVerbs = { [V in StudioVerb]: VerbFn<V> };

/** What the renderer sees, from the preload (Electron) or the WebSocket client (browser). */
export type StudioApi = StudioVerbs & {
  /** Subscribes to events; returns the unsubscribe. */
  onEvent(listener: (event: StudioEvent) => void): () => void;
  /** Subscribes to training progress only (batch and epoch events); returns the unsubscribe. */
  onProgress(listener: (event: ProgressEvent) => void): () => void;
};

export type ProgressEvent = Extract<StudioEvent, { kind: 'batch' | 'epoch' }>;

/** onProgress in terms of onEvent, for every StudioApi implementation (preload, WebSocket). */
export function progressSubscriber(onEvent: StudioApi['onEvent']): StudioApi['onProgress'] {
  return (listener) =>
    onEvent((event) => {
      if (event.kind === 'batch' || event.kind === 'epoch') listener(event as ProgressEvent);
    });
}

/**
 * The verb functions for any transport, built from the table: `send(verb, payload)` does the
 * rest. Built at run time, which TypeScript cannot follow; this is the one cast, and every
 * transport validates what crosses it (the host the payload, the client the response).
 */
export function buildVerbs(
  send: (verb: StudioVerb, payload: unknown) => Promise<unknown>,
): StudioVerbs {
  return Object.fromEntries(
    studioVerbs.map((verb) => [verb, (payload?: unknown) => send(verb, payload)]),
  ) as unknown as StudioVerbs;
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
