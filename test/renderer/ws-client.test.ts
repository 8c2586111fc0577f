import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createWsClient,
  encodeRequest,
  isConnectionLost,
  wsUrlFor,
  type SocketHandlers,
  type WireData,
} from '../../src/renderer/src/services/ws-client';
import { decodeBinaryFrame, encodeMessage } from '../../src/shared/binary-frame';
import { operations, studioVerbs } from '../../src/shared/operations';
import { FAKE_INFO } from '../server/fake-backend';

/** A socket the test drives by hand: it records what the client sends. */
class FakeSocket {
  sent: unknown[] = [];
  /** Whether each sent message went as a binary frame. */
  binary: boolean[] = [];
  closed = false;
  constructor(
    readonly url: string,
    readonly handlers: SocketHandlers,
  ) {}
  send(data: WireData): void {
    this.binary.push(typeof data !== 'string');
    this.sent.push(typeof data === 'string' ? JSON.parse(data) : decodeBinaryFrame(data));
  }
  close(): void {
    this.closed = true;
  }
  reply(message: unknown): void {
    this.handlers.onMessage(JSON.stringify(message));
  }
  /** Replies the way the server does: a binary frame when the message holds typed arrays. */
  replyEncoded(message: unknown): void {
    this.handlers.onMessage(encodeMessage(message));
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const protocolErrors: string[] = [];
  const client = createWsClient(
    'ws://127.0.0.1:1234/ws?token=t',
    (url, handlers) => {
      const socket = new FakeSocket(url, handlers);
      sockets.push(socket);
      return socket;
    },
    { reconnectDelays: [100, 200], onProtocolError: (m) => protocolErrors.push(m) },
  );
  const current = (): FakeSocket => sockets[sockets.length - 1] as FakeSocket;
  return { client, sockets, current, protocolErrors };
}

const info = FAKE_INFO;

describe('WebSocket studio client', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('queues calls until the socket opens, then sends them in order', async () => {
    const { client, current } = setup();
    expect(client.connectionState).toBe('connecting');
    const pending = client.getInfo();
    void client.pauseTraining().catch(() => undefined);
    expect(current().sent).toEqual([]);
    current().handlers.onOpen();
    expect(client.connectionState).toBe('open');
    expect(current().sent).toEqual([
      { id: 1, channel: 'studio:info', payload: null },
      { id: 2, channel: 'training:pause', payload: null },
    ]);
    current().reply({ type: 'response', id: 1, ok: true, value: info });
    await expect(pending).resolves.toEqual(info);
  });

  it('sends payloads as they are and rejects with the server error', async () => {
    const { client, current } = setup();
    current().handlers.onOpen();
    const start = client.startTraining({ epochs: 2, trainLimit: 3000 });
    expect(current().sent[0]).toEqual({
      id: 1,
      channel: 'training:start',
      payload: { epochs: 2, trainLimit: 3000 },
    });
    current().reply({
      type: 'response',
      id: 1,
      ok: false,
      error: 'a training run is already in progress',
    });
    await expect(start).rejects.toThrow('a training run is already in progress');
  });

  it('validates responses against the verb schema', async () => {
    const { client, current } = setup();
    current().handlers.onOpen();
    const pending = client.getInfo();
    current().reply({ type: 'response', id: 1, ok: true, value: { host: 'elsewhere' } });
    await expect(pending).rejects.toThrow(/malformed getInfo response/);
  });

  it('delivers events to subscribers until they unsubscribe, and ignores junk', () => {
    const { client, current, protocolErrors } = setup();
    current().handlers.onOpen();
    const seen: string[] = [];
    const unsubscribe = client.onEvent((event) => seen.push(event.kind));
    current().reply({
      type: 'event',
      event: { kind: 'engine-crashed', reason: 'killed by SIGKILL' },
    });
    current().reply({ type: 'event', event: { kind: 'no-such-event' } });
    current().handlers.onMessage('not json');
    unsubscribe();
    current().reply({ type: 'event', event: { kind: 'engine-restarted', pid: 7 } });
    expect(seen).toEqual(['engine-crashed']);
    expect(protocolErrors).toHaveLength(2);
  });

  it('onProgress hears only batch and epoch events', () => {
    const { client, current } = setup();
    current().handlers.onOpen();
    const seen: string[] = [];
    const unsubscribe = client.onProgress((event) => seen.push(`${event.kind}:${event.epoch}`));
    current().reply({ type: 'event', event: { kind: 'paused', epoch: 0, batch: 3 } });
    current().reply({
      type: 'event',
      event: {
        kind: 'epoch',
        epoch: 0,
        epochs: 1,
        loss: 0.2,
        accuracy: 0.9,
        valLoss: null,
        valAccuracy: null,
        seconds: 1,
        samplesPerSecond: 100,
        numTensors: 4,
      },
    });
    unsubscribe();
    current().reply({ type: 'event', event: { kind: 'paused', epoch: 1, batch: 0 } });
    expect(seen).toEqual(['epoch:0']);
  });

  it('fails pending calls when the connection drops, then reconnects with backoff', async () => {
    const { client, sockets, current } = setup();
    const states: string[] = [];
    client.onConnectionChange((state) => states.push(state));
    current().handlers.onOpen();
    const pending = client.stopTraining();
    current().handlers.onClose();
    await expect(pending).rejects.toThrow(/connection to the LeNet Studio server was lost/);
    expect(states).toEqual(['open', 'reconnecting']);

    // Calls made while away wait for the next socket.
    const later = client.getInfo();
    vi.advanceTimersByTime(100);
    expect(sockets).toHaveLength(2);
    expect(current().url).toBe('ws://127.0.0.1:1234/ws?token=t');
    current().handlers.onOpen();
    expect(current().sent).toEqual([{ id: 2, channel: 'studio:info', payload: null }]);
    current().reply({ type: 'response', id: 2, ok: true, value: info });
    await expect(later).resolves.toMatchObject({ host: 'browser' });
    expect(states).toEqual(['open', 'reconnecting', 'open']);
  });

  it('says lost after the reconnect attempts fail, keeps trying, and recovers', async () => {
    const { client, sockets, current } = setup();
    const states: string[] = [];
    client.onConnectionChange((state) => states.push(state));
    current().handlers.onOpen();
    const pending = client.stopTraining();
    current().handlers.onClose();
    const error = await pending.catch((e: unknown) => e);
    expect(isConnectionLost(error)).toBe(true);
    // Two failed attempts (the setup's two delays): lost, but still retrying at the last delay.
    vi.advanceTimersByTime(100);
    current().handlers.onClose();
    expect(states).toEqual(['open', 'reconnecting']);
    vi.advanceTimersByTime(200);
    current().handlers.onClose();
    expect(states).toEqual(['open', 'reconnecting', 'lost']);
    vi.advanceTimersByTime(200);
    expect(sockets).toHaveLength(4);
    current().handlers.onOpen();
    expect(states).toEqual(['open', 'reconnecting', 'lost', 'open']);
    expect(isConnectionLost(new Error('connection to the LeNet Studio server was lost'))).toBe(
      false,
    );
  });

  it('stops for good when disposed', async () => {
    const { client, sockets, current } = setup();
    current().handlers.onOpen();
    const pending = client.getInfo();
    client.dispose();
    await expect(pending).rejects.toThrow(/closed/);
    expect(current().closed).toBe(true);
    vi.advanceTimersByTime(10_000);
    expect(sockets).toHaveLength(1);
    await expect(client.getInfo()).rejects.toThrow(/closed/);
  });
});

describe('WebSocket studio client, binary frames', () => {
  it('sends a Float32Array predict batch as one binary frame, the batch intact', () => {
    const { client, current } = setup();
    current().handlers.onOpen();
    const batch = new Float32Array(2 * 784).fill(0.5);
    void client.predict(batch).catch(() => undefined);
    void client.getInfo().catch(() => undefined);
    expect(current().binary).toEqual([true, false]);
    const sent = current().sent[0] as { id: number; channel: string; payload: Float32Array };
    expect(sent.channel).toBe('model:predict');
    expect(sent.payload).toBeInstanceOf(Float32Array);
    expect(Array.from(sent.payload)).toEqual(Array.from(batch));
  });

  it('resolves a binary response with real typed arrays, validated by the verb schema', async () => {
    const { client, current } = setup();
    current().handlers.onOpen();
    const images = client.datasetImages({ indices: [4, 9] });
    current().replyEncoded({
      type: 'response',
      id: 1,
      ok: true,
      value: {
        indices: new Int32Array([4, 9]),
        labels: new Int32Array([4, 7]),
        pixels: new Uint8Array(2 * 784).fill(255),
      },
    });
    const value = await images;
    expect(value.pixels).toBeInstanceOf(Uint8Array);
    expect(value.pixels).toHaveLength(2 * 784);
    expect(Array.from(value.labels)).toEqual([4, 7]);
  });

  it('reports a malformed binary frame as a protocol error and keeps the call pending', async () => {
    const { client, current, protocolErrors } = setup();
    current().handlers.onOpen();
    const images = client.datasetImages({ indices: [1] });
    const frame = encodeMessage({ type: 'response', id: 1, ok: true, value: new Uint8Array(8) });
    current().handlers.onMessage((frame as Uint8Array).subarray(0, 12));
    expect(protocolErrors).toEqual([expect.stringMatching(/^server sent malformed binary frame/)]);
    current().replyEncoded({ type: 'response', id: 1, ok: false, error: 'gone' });
    await expect(images).rejects.toThrow('gone');
  });

  it('refuses to send a typed array the format does not carry, naming it', async () => {
    const { client, current } = setup();
    current().handlers.onOpen();
    await expect(client.predict(new Float64Array(784) as unknown as Float32Array)).rejects.toThrow(
      /Float64Array/,
    );
    expect(current().sent).toEqual([]);
  });
});

describe('browser-mode addresses', () => {
  it('encodes a missing payload as null (JSON has no undefined)', () => {
    expect(JSON.parse(encodeRequest(3, 'studio:info', undefined) as string)).toEqual({
      id: 3,
      channel: 'studio:info',
      payload: null,
    });
  });

  it('builds the WebSocket address next to the page, never with a token in it', () => {
    expect(wsUrlFor({ protocol: 'http:', host: '127.0.0.1:5000' })).toBe('ws://127.0.0.1:5000/ws');
    expect(wsUrlFor({ protocol: 'https:', host: 'localhost:5000' })).toBe(
      'wss://localhost:5000/ws',
    );
  });
});

describe('WebSocket studio client: the whole contract', () => {
  it('offers every verb of the contract, each on its channel', () => {
    const sockets: FakeSocket[] = [];
    const client = createWsClient('ws://x/ws', (url, handlers) => {
      const socket = new FakeSocket(url, handlers);
      sockets.push(socket);
      return socket;
    });
    const socket = sockets[0] as FakeSocket;
    socket.handlers.onOpen();
    for (const verb of studioVerbs) {
      expect(typeof client[verb]).toBe('function');
      void (client[verb] as (payload?: unknown) => Promise<unknown>)().catch(() => undefined);
    }
    expect(socket.sent.map((m) => (m as { channel: string }).channel)).toEqual(
      studioVerbs.map((verb) => operations[verb].channel),
    );
    client.dispose();
  });
});
