// The engine's twin: a worker thread with its own TensorFlow context, so that a training step
// and a large prediction run on both cores at once (see split-network.ts). On a 2-core machine
// TensorFlow's thread pool gains little on LeNet-5's small ops (one step: 11.2k samples/s on
// one thread, 15.3k on two), while two threads each running half the batch inline reach 19.3k
// (measured here). Calls are synchronous: the step loop is, and the wait for a half-batch is
// shorter than any hop through the event loop. The twin never blocks the process: every wait
// has a deadline, and a twin that failed once is not used again.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  MessageChannel,
  receiveMessageOnPort,
  Worker,
  type MessagePort,
} from 'node:worker_threads';
import type { TwinReply, TwinRequest, TwinWorkerData } from './twin-protocol';

/** How long one reply may take before the twin is given up (a half-batch takes milliseconds). */
export const TWIN_REPLY_TIMEOUT_MS = 60_000;
/** The twin's V8 heap limits, in MB (see startWorker). */
const TWIN_YOUNG_MB = 4;
const TWIN_OLD_MB = 128;

type ReplyKind = Extract<TwinReply, { ok: true }>['kind'];
type Reply<K extends ReplyKind> = Extract<TwinReply, { ok: true; kind: K }>;

/** Where the twin's entry is: the .ts source beside this file (tsx), or the built .js. */
export function twinEntry(): { path: string; typescript: boolean } | null {
  const here = new URL('.', import.meta.url);
  const candidates: Array<[string, boolean]> = [
    ['twin-worker.ts', true],
    ['twin-worker.js', false],
    ['../twin-worker.js', false],
  ];
  for (const [name, typescript] of candidates) {
    const path = fileURLToPath(new URL(name, here));
    if (existsSync(path)) return { path, typescript };
  }
  return null;
}

function startWorker(
  entry: { path: string; typescript: boolean },
  data: TwinWorkerData,
  transfer: MessagePort[],
): Worker {
  const options = {
    workerData: data,
    transferList: transfer as never[],
    // The twin's JavaScript holds little (its arrays are TensorFlow's or moved in): V8's default
    // young generation made the engine's peak RSS 806 MB over one MNIST epoch, 4 MB 742 (633
    // without a twin), at the same speed (measured).
    resourceLimits: {
      maxYoungGenerationSizeMb: TWIN_YOUNG_MB,
      maxOldGenerationSizeMb: TWIN_OLD_MB,
    },
  };
  if (!entry.typescript) return new Worker(entry.path, options);
  // A worker does not inherit tsx's loader: register it in the worker, then load the entry.
  const api = import.meta.resolve('tsx/esm/api');
  const target = new URL(`file://${entry.path}`).href;
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); });`;
  return new Worker(code, { ...options, eval: true });
}

export class TwinThread {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly signal: Int32Array;
  private sent = 0;
  private received = 0;
  /** Why the twin can no longer be used, once it failed. */
  private failure: string | null = null;
  private nextNetwork = 0;

  private constructor(entry: { path: string; typescript: boolean }) {
    const { port1, port2 } = new MessageChannel();
    const signal = new SharedArrayBuffer(4);
    this.port = port1;
    this.signal = new Int32Array(signal);
    this.worker = startWorker(entry, { port: port2, signal }, [port2]);
    // The twin never keeps the engine alive, and its death is noted, not thrown.
    this.worker.unref();
    this.worker.on('error', (err) => this.markFailed(`the twin thread failed: ${err.message}`));
    this.worker.on('exit', (code) => this.markFailed(`the twin thread exited with code ${code}`));
  }

  /**
   * A twin once its TensorFlow has loaded, or null with the reason where it cannot start (its
   * entry missing, or the worker failing): the engine then runs on one thread.
   */
  static async start(): Promise<{ twin: TwinThread | null; reason: string | null }> {
    const entry = twinEntry();
    if (!entry) return { twin: null, reason: 'the twin thread entry is not beside the engine' };
    const twin = new TwinThread(entry);
    const reason = await new Promise<string | null>((resolve) => {
      twin.worker.once('message', () => resolve(null));
      twin.worker.once('error', (err) => resolve(err.message));
      twin.worker.once('exit', (code) => resolve(`it exited with code ${code}`));
    });
    if (reason === null) return { twin, reason: null };
    await twin.terminate();
    return { twin: null, reason: `the twin thread did not start: ${reason}` };
  }

  get usable(): boolean {
    return this.failure === null;
  }

  get failedBecause(): string | null {
    return this.failure;
  }

  newNetworkId(): number {
    return this.nextNetwork++;
  }

  /** Sends a request whose reply is only checked for an error, at the next call. */
  post(request: TwinRequest, transfer: ArrayBuffer[] = []): void {
    this.ensureUsable();
    this.port.postMessage(request, transfer);
    this.sent++;
  }

  /** Sends a request and waits for its reply (replies come in order). */
  call<K extends ReplyKind>(request: TwinRequest, kind: K, transfer: ArrayBuffer[] = []): Reply<K> {
    this.post(request, transfer);
    return this.wait(kind);
  }

  /** Waits for the replies to everything posted; the last must be of this kind. */
  wait<K extends ReplyKind>(kind: K): Reply<K> {
    this.ensureUsable();
    if (this.received === this.sent) throw new Error('nothing was asked of the twin thread');
    let reply: TwinReply;
    do reply = this.nextReply();
    while (this.received < this.sent);
    if (!reply.ok) this.fail();
    if (reply.kind !== kind) {
      this.markFailed(`the twin thread answered ${reply.kind} where ${kind} was due`);
      this.fail();
    }
    return reply as Reply<K>;
  }

  private nextReply(): TwinReply {
    const deadline = performance.now() + TWIN_REPLY_TIMEOUT_MS;
    for (;;) {
      const seen = Atomics.load(this.signal, 0);
      const message = receiveMessageOnPort(this.port);
      if (message) {
        this.received++;
        const reply = message.message as TwinReply;
        // An error of an earlier request (one only posted) is this call's error too.
        if (!reply.ok) this.markFailed(`the twin thread: ${reply.error}`);
        return reply.ok || this.received === this.sent ? reply : this.fail();
      }
      const left = deadline - performance.now();
      if (left <= 0) {
        this.markFailed(`the twin thread did not answer in ${TWIN_REPLY_TIMEOUT_MS / 1000} s`);
        this.fail();
      }
      // Woken by the twin's next reply; the counter moved if it replied since `seen`.
      Atomics.wait(this.signal, 0, seen, Math.min(left, 1000));
    }
  }

  private ensureUsable(): void {
    if (this.failure) throw new Error(this.failure);
  }

  private markFailed(reason: string): void {
    this.failure ??= reason;
  }

  private fail(): never {
    throw new Error(this.failure ?? 'the twin thread failed');
  }

  /** Stops the worker (its networks with it). */
  async terminate(): Promise<void> {
    this.failure ??= 'the twin thread was stopped';
    this.port.close();
    await this.worker.terminate();
  }
}
