// The studio operations over WebSocket, server side. The envelope is checked against
// WsClientMessageSchema and the channel against the operation table; the shared dispatcher does
// the rest (payload schema, folder policy, backend, result schema), exactly as for Electron's IPC.
// Replies go back by id; backend events go to every client.
import type { WebSocket, WebSocketServer } from 'ws';
import type { StudioDoor } from '../host/dispatcher';
import { IMAGE_PIXELS, MAX_PREDICT_BATCH } from '../shared/engine-protocol';
import { verbForChannel } from '../shared/operations';
import {
  WsClientMessageSchema,
  type StudioEvent,
  type WsServerMessage,
} from '../shared/studio-contract';
import { describeIssues } from '../shared/zod-messages';

/** The id used to answer a message whose own id could not be read. */
export const UNKNOWN_ID = -1;

/**
 * The largest legitimate request is a full predict batch: MAX_PREDICT_BATCH images of
 * IMAGE_PIXELS numbers in [0,1]. A double prints in at most 23 characters
 * (2.2250738585072014e-308), plus its comma; the envelope, the brackets and the other verbs'
 * payloads (a training config, a path) fit in the 64 KiB of headroom. About 18.4 MiB: anything
 * bigger is refused by `ws` before it is buffered, and that connection is closed with 1009.
 */
export const MAX_REQUEST_BYTES = MAX_PREDICT_BATCH * IMAGE_PIXELS * 24 + 64 * 1024;

/**
 * Requests one connection may have unanswered at once. The renderer needs a handful (a train
 * request pending for the whole run, pause/resume/stop, four classify chunks, list-runs…); a
 * client that sends more gets an error per extra request instead of queueing work in the engine.
 */
export const MAX_REQUESTS_IN_FLIGHT = 32;

/** A client that reads slower than batch events arrive skips them (epoch events still go). */
const SLOW_CLIENT_BYTES = 1 << 20;

function refuse(id: number, error: string): WsServerMessage {
  return { type: 'response', id, ok: false, error };
}

/** Reads the id of a message that failed validation, if it has a usable one. */
function salvageId(json: unknown): number {
  if (typeof json === 'object' && json !== null && 'id' in json) {
    const { id } = json as { id: unknown };
    if (typeof id === 'number' && Number.isInteger(id) && id >= 0) return id;
  }
  return UNKNOWN_ID;
}

/** Validates one client message and runs it; always resolves with the reply to send. */
export async function handleClientMessage(
  text: string,
  studio: StudioDoor,
): Promise<WsServerMessage> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return refuse(UNKNOWN_ID, 'message is not valid JSON');
  }
  const envelope = WsClientMessageSchema.safeParse(json);
  if (!envelope.success) {
    return refuse(salvageId(json), `invalid message: ${describeIssues(envelope.error, 'message')}`);
  }
  const { id, channel } = envelope.data;
  const verb = verbForChannel(channel);
  if (!verb) return refuse(id, `unknown channel: ${channel}`);
  // JSON cannot carry `undefined`: clients send null for "no payload", and no verb takes null.
  const payload = envelope.data.payload === null ? undefined : envelope.data.payload;
  try {
    const value = await studio.dispatch(verb, payload);
    return { type: 'response', id, ok: true, value };
  } catch (error) {
    return refuse(id, error instanceof Error ? error.message : String(error));
  }
}

function send(ws: WebSocket, message: WsServerMessage): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
}

/** Serves one connected client. Messages run concurrently: a train request stays pending for
 *  the whole run while pause, resume and stop arrive. */
export function serveClient(ws: WebSocket, studio: StudioDoor): void {
  let inFlight = 0;
  // A frame `ws` cannot accept (invalid UTF-8 in a text frame, over maxPayload, a protocol
  // violation) arrives here. `ws` has already started closing this connection with the code
  // that says why (1007, 1009, 1002); without this listener the error would be thrown and take
  // the whole server, and the engine it hosts, down with it.
  ws.on('error', (error) => {
    console.warn(`[server] closed a WebSocket connection: ${error.message}`);
  });
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      send(ws, refuse(UNKNOWN_ID, 'binary messages are not accepted'));
      return;
    }
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString('utf8')
      : data instanceof ArrayBuffer
        ? Buffer.from(data).toString('utf8')
        : data.toString('utf8');
    if (inFlight >= MAX_REQUESTS_IN_FLIGHT) {
      send(ws, refuse(salvageIdFromText(text), tooManyInFlight()));
      return;
    }
    inFlight++;
    void handleClientMessage(text, studio).then((reply) => {
      inFlight--;
      send(ws, reply);
    });
  });
}

function tooManyInFlight(): string {
  return (
    `too many requests in flight on this connection (limit ${MAX_REQUESTS_IN_FLIGHT}): ` +
    'wait for answers before sending more'
  );
}

function salvageIdFromText(text: string): number {
  try {
    return salvageId(JSON.parse(text));
  } catch {
    return UNKNOWN_ID;
  }
}

/** Sends every backend event to every open client; returns the unsubscribe. */
export function broadcastEvents(wss: WebSocketServer, studio: StudioDoor): () => void {
  return studio.onEvent((event: StudioEvent) => {
    const text = JSON.stringify({ type: 'event', event } satisfies WsServerMessage);
    for (const client of wss.clients) {
      if (client.readyState !== client.OPEN) continue;
      if (event.kind === 'batch' && client.bufferedAmount > SLOW_CLIENT_BYTES) continue;
      client.send(text);
    }
  });
}
