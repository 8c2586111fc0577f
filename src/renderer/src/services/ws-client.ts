// The StudioApi over the browser-mode WebSocket: the same verbs as the Electron preload, sent as
// `{ id, channel, payload }` (WsClientMessageSchema) and answered by id (WsServerMessageSchema).
// Everything that arrives is validated, responses against their verb's response schema: the
// server is trusted no more than the renderer is by the server.
//
// The socket itself is injected (a browser WebSocket in the app, the `ws` package in tests), so
// this module has no DOM dependency.
import { decodeBinaryFrame, encodeMessage } from '../../../shared/binary-frame';
import { operations, type StudioVerb } from '../../../shared/operations';
import {
  buildVerbs,
  progressSubscriber,
  WsServerMessageSchema,
  type StudioApi,
  type StudioEvent,
  type VerbRequest,
  type VerbResponse,
} from '../../../shared/studio-contract';
import { describeIssues } from '../../../shared/zod-messages';

/** A text frame (JSON) or a binary frame (src/shared/binary-frame.ts). */
export type WireData = string | Uint8Array;

export interface SocketLike {
  send(data: WireData): void;
  close(): void;
}

export interface SocketHandlers {
  onOpen(): void;
  onMessage(data: WireData): void;
  /** Called once per socket, whether it failed to connect or dropped later. */
  onClose(): void;
}

export type SocketFactory = (url: string, handlers: SocketHandlers) => SocketLike;

/**
 * `reconnecting` right after a drop; `lost` once that many attempts have failed (the server is
 * down, or was restarted elsewhere): the client still retries, at the slowest delay.
 */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'lost';

/** What a call in flight gets when the connection drops: it may or may not have run. */
export class ConnectionLostError extends Error {
  readonly connectionLost = true;
  constructor() {
    super('connection to the LeNet Studio server was lost');
    this.name = 'ConnectionLostError';
  }
}

export function isConnectionLost(error: unknown): boolean {
  return (error as { connectionLost?: unknown } | null)?.connectionLost === true;
}

export interface StudioClient extends StudioApi {
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
  readonly connectionState: ConnectionState;
  /** Closes the socket for good (no reconnect); pending calls fail. */
  dispose(): void;
}

export interface WsClientOptions {
  /** Reconnect delays grow from the first to the last value (ms). */
  reconnectDelays?: readonly number[];
  /** Failed reconnect attempts after which the state says `lost` (default: the delays' count). */
  lostAfterAttempts?: number;
  onProtocolError?: (message: string) => void;
}

interface Pending {
  verb: StudioVerb;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

const DEFAULT_DELAYS = [250, 500, 1000, 2000, 4000] as const;

/**
 * JSON has no `undefined`: verbs without a payload send `null`, and the server reads `null` as
 * "no payload" (no verb's request accepts null, so the two cannot be confused). A payload that
 * holds typed arrays (a predict batch as a Float32Array) goes as one binary frame.
 */
export function encodeRequest(id: number, channel: string, payload: unknown): WireData {
  return encodeMessage({ id, channel, payload: payload === undefined ? null : payload });
}

export function createWsClient(
  url: string,
  connect: SocketFactory,
  options: WsClientOptions = {},
): StudioClient {
  const delays = options.reconnectDelays ?? DEFAULT_DELAYS;
  const lostAfter = options.lostAfterAttempts ?? delays.length;
  const protocolError = options.onProtocolError ?? ((m: string) => console.error(`[studio] ${m}`));
  const pending = new Map<number, Pending>();
  const listeners = new Set<(event: StudioEvent) => void>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  const outbox: WireData[] = [];
  let socket: SocketLike | null = null;
  let open = false;
  let state: ConnectionState = 'connecting';
  let attempt = 0;
  let disposed = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let nextId = 1;

  const setState = (next: ConnectionState): void => {
    if (next === state) return;
    state = next;
    for (const listener of connectionListeners) listener(next);
  };

  const failPending = (error: () => Error): void => {
    for (const [id, p] of pending) {
      pending.delete(id);
      p.reject(error());
    }
  };

  const receive = (data: WireData): void => {
    let json: unknown;
    if (typeof data === 'string') {
      try {
        json = JSON.parse(data);
      } catch {
        protocolError('server sent a message that is not JSON');
        return;
      }
    } else {
      try {
        json = decodeBinaryFrame(data);
      } catch (error) {
        protocolError(`server sent ${(error as Error).message}`);
        return;
      }
    }
    const parsed = WsServerMessageSchema.safeParse(json);
    if (!parsed.success) {
      protocolError(`malformed message from server: ${describeIssues(parsed.error, 'message')}`);
      return;
    }
    const message = parsed.data;
    if (message.type === 'event') {
      for (const listener of listeners) listener(message.event);
      return;
    }
    const p = pending.get(message.id);
    if (!p) {
      // Id -1 answers a message the server could not read at all; nothing waits for it.
      protocolError(message.ok ? `response to unknown request ${message.id}` : message.error);
      return;
    }
    pending.delete(message.id);
    if (!message.ok) {
      p.reject(new Error(message.error));
      return;
    }
    const value = operations[p.verb].response.safeParse(message.value);
    if (value.success) p.resolve(value.data);
    else
      p.reject(
        new Error(`malformed ${p.verb} response: ${describeIssues(value.error, 'response')}`),
      );
  };

  const start = (): void => {
    const current = connect(url, {
      onOpen: () => {
        if (socket !== current) return;
        open = true;
        attempt = 0;
        setState('open');
        for (const data of outbox.splice(0)) current.send(data);
      },
      onMessage: (data) => {
        if (socket === current) receive(data);
      },
      onClose: () => {
        if (socket !== current) return;
        socket = null;
        open = false;
        // A request already sent may or may not have run; its caller must find out (e.g. by
        // asking getInfo) rather than wait forever.
        failPending(() => new ConnectionLostError());
        if (disposed) return;
        setState(attempt >= lostAfter ? 'lost' : 'reconnecting');
        const delay = delays[Math.min(attempt, delays.length - 1)] ?? 1000;
        attempt++;
        retryTimer = setTimeout(start, delay);
      },
    });
    socket = current;
  };

  function call<V extends StudioVerb>(
    verb: V,
    payload: VerbRequest<V> | undefined,
  ): Promise<VerbResponse<V>> {
    if (disposed) return Promise.reject(new Error('studio client is closed'));
    const id = nextId++;
    let data: WireData;
    try {
      data = encodeRequest(id, operations[verb].channel, payload);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return new Promise<VerbResponse<V>>((resolve, reject) => {
      pending.set(id, { verb, resolve: resolve as (value: unknown) => void, reject });
      // Until the socket opens (or reopens), requests wait in order.
      if (open && socket) socket.send(data);
      else outbox.push(data);
    });
  }

  start();

  // One function per operation of the table, so an operation added there works here unchanged;
  // the server validates every payload, and `call` every response.
  const verbs = buildVerbs((verb, payload) => call(verb, payload as VerbRequest<typeof verb>));

  const onEvent: StudioApi['onEvent'] = (listener) => {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  };

  return {
    ...verbs,
    onEvent,
    onProgress: progressSubscriber(onEvent),
    onConnectionChange(listener) {
      connectionListeners.add(listener);
      return () => {
        connectionListeners.delete(listener);
      };
    },
    get connectionState() {
      return state;
    },
    dispose() {
      disposed = true;
      clearTimeout(retryTimer);
      outbox.length = 0;
      failPending(() => new Error('studio client is closed'));
      socket?.close();
      socket = null;
      open = false;
    },
  };
}

/**
 * The server's WebSocket next to the page. The address carries no token: the socket offers it
 * as a subprotocol (see src/shared/browser-session.ts).
 */
export function wsUrlFor(location: { protocol: string; host: string }): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}
