// The studio operations over WebSocket, server side. The envelope is checked against
// WsClientMessageSchema and the channel against the operation table; the shared dispatcher does
// the rest (payload schema, folder policy, backend, result schema), exactly as for Electron's IPC.
// Replies go back by id; backend events go to every client.
import type { WebSocket, WebSocketServer } from 'ws';
import type { StudioDoor } from '../host/dispatcher';
import { BinaryFrameError, decodeBinaryFrame, encodeMessage } from '../shared/binary-frame';
import {
  IMAGE_PIXELS,
  MAX_CLASSIFY_IMAGE_BYTES,
  MAX_CLASSIFY_IMAGES,
  MAX_PREDICT_BATCH,
} from '../shared/engine-protocol';
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
 * The largest legitimate request: a full predict batch as JSON (MAX_PREDICT_BATCH images of
 * IMAGE_PIXELS numbers in [0,1]; a double prints in at most 23 characters,
 * 2.2250738585072014e-308, plus its comma; about 18.4 MiB), or a classify-images chunk of files
 * (MAX_CLASSIFY_IMAGE_BYTES as one binary frame, 32 MiB), whichever is larger; the envelope and
 * the other verbs' payloads (a training config, a path) fit in the 64 KiB of headroom. Anything
 * bigger is refused by `ws` before it is buffered, and that connection is closed with 1009.
 */
export const MAX_REQUEST_BYTES =
  Math.max(
    MAX_PREDICT_BATCH * IMAGE_PIXELS * 24,
    MAX_CLASSIFY_IMAGE_BYTES + 8 * MAX_CLASSIFY_IMAGES,
  ) +
  64 * 1024;

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

/** Validates one client text message and runs it; always resolves with the reply to send. */
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
  return handleClientValue(json, studio);
}

/**
 * Validates one decoded client message (from a text frame's JSON or a binary frame) and runs
 * it; always resolves with the reply to send.
 */
export async function handleClientValue(
  json: unknown,
  studio: StudioDoor,
): Promise<WsServerMessage> {
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

/**
 * A reply as a text frame, or as one binary frame when its value holds typed arrays (see
 * src/shared/binary-frame.ts). A value the format cannot carry becomes an error reply.
 */
function encodeReply(message: WsServerMessage): string | Uint8Array {
  try {
    return encodeMessage(message);
  } catch (error) {
    const id = message.type === 'response' ? message.id : UNKNOWN_ID;
    return JSON.stringify(refuse(id, `could not send the reply: ${(error as Error).message}`));
  }
}

function send(ws: WebSocket, message: WsServerMessage): void {
  if (ws.readyState === ws.OPEN) ws.send(encodeReply(message));
}

/** WebSocket close code for a frame whose payload is not what it claims (RFC 6455 §7.4.1). */
export const CLOSE_INVALID_PAYLOAD = 1007;

function bytesOf(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

/** A close reason fits in 123 bytes (RFC 6455 §5.5); ours are ASCII. */
function closeReason(message: string): string {
  return message.length <= 123 ? message : `${message.slice(0, 120)}...`;
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
    let json: unknown;
    if (isBinary) {
      // A binary frame carries typed arrays (a predict batch). One that does not decode is a
      // broken or hostile client: that connection is closed with 1007 and the reason, as `ws`
      // does for a text frame that is not UTF-8; the server and the other clients go on.
      try {
        json = decodeBinaryFrame(bytesOf(data), { maxBytes: MAX_REQUEST_BYTES });
      } catch (error) {
        const reason = error instanceof BinaryFrameError ? error.message : 'malformed binary frame';
        console.warn(`[server] closed a WebSocket connection: ${reason}`);
        ws.close(CLOSE_INVALID_PAYLOAD, closeReason(reason));
        return;
      }
    } else {
      const bytes = bytesOf(data);
      const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
      try {
        json = JSON.parse(text);
      } catch {
        send(ws, refuse(UNKNOWN_ID, 'message is not valid JSON'));
        return;
      }
    }
    if (inFlight >= MAX_REQUESTS_IN_FLIGHT) {
      send(ws, refuse(salvageId(json), tooManyInFlight()));
      return;
    }
    inFlight++;
    void handleClientValue(json, studio).then((reply) => {
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

/** Sends every backend event to every open client; returns the unsubscribe. */
export function broadcastEvents(wss: WebSocketServer, studio: StudioDoor): () => void {
  return studio.onEvent((event: StudioEvent) => {
    const text = encodeReply({ type: 'event', event });
    for (const client of wss.clients) {
      if (client.readyState !== client.OPEN) continue;
      if (event.kind === 'batch' && client.bufferedAmount > SLOW_CLIENT_BYTES) continue;
      client.send(text);
    }
  });
}
