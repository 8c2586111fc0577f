// The IPC registrar without Electron: a fake ipcMain, and the real studio backend on a real
// EngineHost whose transport is a scripted in-memory engine, so a call goes through exactly what
// main runs (sender check → schema → backend → engine protocol) and nothing else.
import { describe, expect, it } from 'vitest';
import { openStudio } from '../../src/host/dispatcher';
import { EngineHost, type EngineChannel } from '../../src/host/engine-host';
import { FolderPolicy } from '../../src/host/folder-policy';
import { createStudioBackend } from '../../src/host/studio-backend';
import { HOW_TO_CHOOSE } from '../../src/host/studio-folders';
import {
  senderCheckFor,
  setupIpc,
  type InvokeEventLike,
  type IpcMainLike,
} from '../../src/main/ipc-registrar';
import { operations } from '../../src/shared/operations';
import {
  STUDIO_EVENT_CHANNEL,
  studioVerbs,
  type StudioEvent,
} from '../../src/shared/studio-contract';

const WINDOW_ID = 7;
const RENDERER_URL = 'file:///opt/lenet-studio/out/renderer/index.html';

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<
    string,
    (event: InvokeEventLike, payload: unknown) => Promise<unknown>
  >();
  handle(
    channel: string,
    listener: (event: InvokeEventLike, payload: unknown) => Promise<unknown>,
  ): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(
    channel: string,
    payload: unknown,
    event: InvokeEventLike = ourWindow(),
  ): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) return Promise.reject(new Error(`No handler registered for '${channel}'`));
    return handler(event, payload);
  }
}

function ourWindow(url = RENDERER_URL): InvokeEventLike {
  return { sender: { id: WINDOW_ID }, senderFrame: { url } };
}

const summary = {
  stopped: false,
  epochs: 1,
  batchesInLastEpoch: 2,
  trainSamples: 256,
  validationSamples: 0,
  testSamples: 100,
  trainSeconds: 0.5,
  samplesPerSecond: 512,
  testLoss: 0.3,
  testAccuracy: 0.9,
  finalTrainLoss: 0.4,
  params: 61706,
  runId: '20261123-120000-lenet5-abcdef',
};

/** An engine that answers train/pause/resume/stop like the real one, and can push or die. */
class ScriptedEngine implements EngineChannel {
  readonly pid = 4242;
  readonly received: Array<{ type: string; [key: string]: unknown }> = [];
  private messageListeners: Array<(message: unknown) => void> = [];
  private exitListeners: Array<(reason: string) => void> = [];

  send(message: unknown): void {
    const request = message as { id: number; type: string };
    this.received.push(request);
    const value =
      request.type === 'train' ? summary : request.type === 'predict' ? [] : { ok: true };
    queueMicrotask(() => this.push({ type: 'result', id: request.id, ok: true, value }));
  }
  onMessage(listener: (message: unknown) => void): void {
    this.messageListeners.push(listener);
  }
  onExit(listener: (reason: string) => void): void {
    this.exitListeners.push(listener);
  }
  kill(): void {}
  push(message: unknown): void {
    for (const listener of this.messageListeners) listener(message);
  }
  die(reason: string): void {
    for (const listener of this.exitListeners) listener(reason);
  }
}

function setup() {
  const engines: ScriptedEngine[] = [];
  const host = new EngineHost(() => {
    const engine = new ScriptedEngine();
    engines.push(engine);
    return engine;
  });
  const ipc = new FakeIpcMain();
  const delivered: Array<{ channel: string; event: StudioEvent }> = [];
  const teardown = setupIpc(
    ipc,
    openStudio(
      createStudioBackend(host, { hostKind: 'electron', dialogs: null, policy: null }),
      null,
    ),
    senderCheckFor(() => WINDOW_ID, RENDERER_URL),
    (channel, event) => delivered.push({ channel, event }),
  );
  const engine = engines[0]!;
  return { ipc, host, engines, engine, delivered, teardown };
}

const train = operations.startTraining.channel;
const pause = operations.pauseTraining.channel;

describe('IPC registrar', () => {
  it('registers one handler per verb of the contract', () => {
    const { ipc } = setup();
    expect([...ipc.handlers.keys()].sort()).toEqual(
      studioVerbs.map((v) => operations[v].channel).sort(),
    );
  });

  it('refuses a foreign sender before anything reaches the backend', async () => {
    const { ipc, engine } = setup();
    const otherWebContents: InvokeEventLike = {
      sender: { id: WINDOW_ID + 1 },
      senderFrame: { url: RENDERER_URL },
    };
    await expect(ipc.invoke(train, { epochs: 1 }, otherWebContents)).rejects.toThrow(
      /sender is not the studio window/,
    );
    // Our window, but showing some other page (navigated away, or an injected frame).
    await expect(ipc.invoke(pause, undefined, ourWindow('https://evil.example/'))).rejects.toThrow(
      /sender/,
    );
    await expect(
      ipc.invoke(pause, undefined, { sender: { id: WINDOW_ID }, senderFrame: null }),
    ).rejects.toThrow(/sender/);
    expect(engine.received).toEqual([]);
  });

  it('refuses a malformed payload with an error naming the field', async () => {
    const { ipc, engine } = setup();
    await expect(ipc.invoke(train, { epochs: 1, batchSize: 0 })).rejects.toThrow(
      /invalid training:start request: batchSize: /,
    );
    await expect(ipc.invoke(train, { learningRate: 'fast' })).rejects.toThrow(/learningRate: /);
    await expect(ipc.invoke(train, { dataset: { kind: 'folder', path: '' } })).rejects.toThrow(
      /dataset\.path: /,
    );
    await expect(ipc.invoke(train, { epochs: 1, evil: true })).rejects.toThrow(/evil/);
    await expect(ipc.invoke(operations.predict.channel, [[0.5]])).rejects.toThrow(/0: /);
    // Verbs without a payload accept nothing else.
    await expect(ipc.invoke(pause, { now: true })).rejects.toThrow(
      /invalid training:pause request: payload: /,
    );
    expect(engine.received).toEqual([]);
  });

  it('passes a good payload to the backend, with the schema defaults filled in', async () => {
    const { ipc, engine } = setup();
    await expect(ipc.invoke(train, { epochs: 1, trainLimit: 256 })).resolves.toEqual(summary);
    await expect(ipc.invoke(pause, undefined)).resolves.toEqual({ ok: true });
    expect(engine.received.map((m) => m.type)).toEqual(['train', 'pause']);
    expect(engine.received[0]!.config).toMatchObject({
      epochs: 1,
      trainLimit: 256,
      batchSize: 128,
      model: 'lenet5',
    });
  });

  it('hands a Float32Array predict batch to the engine as it is, and refuses a bad one', async () => {
    const { ipc, engine } = setup();
    const batch = new Float32Array(3 * 784).fill(0.25);
    await expect(ipc.invoke(operations.predict.channel, batch)).resolves.toEqual([]);
    const sent = engine.received[0] as { type: string; inputs: unknown };
    expect(sent.type).toBe('predict');
    expect(sent.inputs).toBeInstanceOf(Float32Array);
    expect(Array.from(sent.inputs as Float32Array)).toEqual(Array.from(batch));
    await expect(
      ipc.invoke(operations.predict.channel, new Float32Array(784).fill(Number.NaN)),
    ).rejects.toThrow(/image 0, pixel 0 is not in \[0,1\]/);
    await expect(ipc.invoke(operations.predict.channel, new Float32Array(0))).rejects.toThrow(
      /the batch is empty/,
    );
    expect(engine.received).toHaveLength(1);
  });

  it('forwards engine events and engine crashes to the window', async () => {
    const { delivered, engine, engines } = setup();
    const log = { kind: 'log', level: 'info', message: 'hello' } as const;
    engine.push({ type: 'event', event: log });
    engine.die('exited with code 134');
    // The fresh engine is announced once it says it is ready (its pid is known only then).
    engines.at(-1)!.push({ type: 'ready', pid: 4242 });
    expect(delivered).toEqual([
      { channel: STUDIO_EVENT_CHANNEL, event: log },
      {
        channel: STUDIO_EVENT_CHANNEL,
        event: { kind: 'engine-crashed', reason: 'exited with code 134' },
      },
      { channel: STUDIO_EVENT_CHANNEL, event: { kind: 'engine-restarted', pid: 4242 } },
    ]);
    expect(engines).toHaveLength(2);
  });

  it('tears down: handlers removed, events no longer forwarded', async () => {
    const { ipc, delivered, engine, teardown } = setup();
    teardown();
    expect(ipc.handlers.size).toBe(0);
    engine.push({ type: 'event', event: { kind: 'log', level: 'info', message: 'late' } });
    expect(delivered).toEqual([]);
  });
});

describe('senderCheckFor', () => {
  const check = senderCheckFor(() => WINDOW_ID, RENDERER_URL);

  it('accepts our window on our page, whatever its hash or query', () => {
    expect(check(ourWindow())).toBe(true);
    expect(check(ourWindow(`${RENDERER_URL}#/train`))).toBe(true);
    expect(check(ourWindow(`${RENDERER_URL}?theme=dark`))).toBe(true);
  });

  it('refuses other pages, other webContents, and a closed window', () => {
    expect(check(ourWindow('file:///tmp/evil.html'))).toBe(false);
    expect(check(ourWindow('not a url'))).toBe(false);
    expect(check({ sender: { id: 99 }, senderFrame: { url: RENDERER_URL } })).toBe(false);
    expect(senderCheckFor(() => undefined, RENDERER_URL)(ourWindow())).toBe(false);
  });

  it('compares a dev-server renderer by origin', () => {
    const dev = senderCheckFor(() => WINDOW_ID, 'http://localhost:5173/');
    expect(dev(ourWindow('http://localhost:5173/index.html#x'))).toBe(true);
    expect(dev(ourWindow('http://localhost:5174/'))).toBe(false);
  });
});

describe('the folder policy behind the registrar (Electron: dialog picks)', () => {
  function setupRestricted() {
    const engines: ScriptedEngine[] = [];
    const host = new EngineHost(() => {
      const engine = new ScriptedEngine();
      engines.push(engine);
      return engine;
    });
    const policy = new FolderPolicy({ howToChoose: HOW_TO_CHOOSE.electron });
    const picked = { add: (folder: string) => policy.grant(folder, 'dialog') };
    const ipc = new FakeIpcMain();
    setupIpc(
      ipc,
      openStudio(
        createStudioBackend(host, { hostKind: 'electron', dialogs: null, policy }),
        policy,
      ),
      senderCheckFor(() => WINDOW_ID, RENDERER_URL),
      () => {},
    );
    return { ipc, picked, engine: engines[0]! };
  }

  it('refuses folders the person did not pick, and accepts picked ones and their contents', async () => {
    const { ipc, picked, engine } = setupRestricted();
    const folderConfig = (p: string) => ({ epochs: 1, dataset: { kind: 'folder', path: p } });
    await expect(ipc.invoke(train, folderConfig('/home/me/fashion'))).rejects.toThrow(
      /dataset folder \/home\/me\/fashion was not chosen/,
    );
    await expect(ipc.invoke(operations.exportModel.channel, { dir: '/etc' })).rejects.toThrow(
      /export folder \/etc was not chosen/,
    );
    await expect(ipc.invoke(operations.loadModel.channel, { dir: '/tmp/m' })).rejects.toThrow(
      /not chosen/,
    );
    expect(engine.received).toEqual([]);

    await picked.add('/home/me/fashion');
    await expect(ipc.invoke(train, folderConfig('/home/me/fashion'))).resolves.toEqual(summary);
    await expect(ipc.invoke(train, folderConfig('/home/me/fashion/sub/'))).resolves.toEqual(
      summary,
    );
    await expect(ipc.invoke(train, folderConfig('/home/me/fashion/../secrets'))).rejects.toThrow(
      /not chosen/,
    );
    await expect(ipc.invoke(train, folderConfig('/home/me/fashion-other'))).rejects.toThrow(
      /not chosen/,
    );
    // The bundled dataset needs no folder at all.
    await expect(ipc.invoke(train, { epochs: 1 })).resolves.toEqual(summary);
    expect(engine.received.map((m) => m.type)).toEqual(['train', 'train', 'train']);
  });
});
