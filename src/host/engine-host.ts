// Hosts the engine in its own process and speaks the engine protocol with it. The transport is
// injected: `child_process.fork` under Node (CLI, browser-mode server, tests), `utilityProcess`
// in Electron. If the engine dies, pending requests fail with the reason, listeners hear
// `engine-crashed`, and (unless disabled) a fresh engine starts.
import {
  EngineMessageSchema,
  EngineResultSchemas,
  type EngineRequestInput,
  type EngineRequestType,
  type EngineResult,
} from '../shared/engine-protocol';
import type { StudioEvent } from '../shared/studio-contract';
import { describeIssues } from '../shared/zod-messages';

/** A running engine process, whatever starts it. */
export interface EngineChannel {
  readonly pid: number | undefined;
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (reason: string) => void): void;
  kill(): void;
}

export type SpawnEngine = () => EngineChannel;

export interface EngineHostOptions {
  /** Start a fresh engine after a crash (default true). */
  restart?: boolean;
  /** Where protocol violations from the engine are reported (default: console.error). */
  onProtocolError?: (message: string) => void;
}

type RequestOf<T extends EngineRequestType> = Omit<Extract<EngineRequestInput, { type: T }>, 'id'>;

interface Pending {
  type: EngineRequestType;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export class EngineError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

export class EngineHost {
  private channel: EngineChannel | undefined;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: StudioEvent) => void>();
  private nextId = 1;
  private disposed = false;
  private readyWaiters: Array<() => void> = [];
  private ready = false;
  private announceRestart = false;

  constructor(
    private readonly spawn: SpawnEngine,
    private readonly options: EngineHostOptions = {},
  ) {
    this.start();
  }

  get pid(): number | undefined {
    return this.channel?.pid;
  }

  /** Sends a request and resolves with its validated result. */
  request<T extends EngineRequestType>(
    request: RequestOf<T> & { type: T },
  ): Promise<EngineResult<T>> {
    if (this.disposed) return Promise.reject(new EngineError('engine host is closed'));
    const id = this.nextId++;
    const type = request.type as T;
    return new Promise<EngineResult<T>>((resolve, reject) => {
      this.pending.set(id, { type, resolve: resolve as (v: unknown) => void, reject });
      this.channel?.send({ ...request, id });
    });
  }

  /** Sends anything, unchecked: lets tests prove the engine rejects malformed messages. */
  sendRaw(message: unknown): void {
    this.channel?.send(message);
  }

  onEvent(listener: (event: StudioEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once the current engine process has said it is ready. */
  whenReady(): Promise<void> {
    if (this.ready) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** Kills the engine for good (no restart). */
  dispose(): void {
    this.disposed = true;
    this.failAll('engine host is closed');
    this.channel?.kill();
    this.channel = undefined;
  }

  /** Kills the current engine process (tests use this to simulate a crash). */
  killEngine(): void {
    this.channel?.kill();
  }

  private emit(event: StudioEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private start(): void {
    this.ready = false;
    const channel = this.spawn();
    this.channel = channel;
    channel.onMessage((raw) => this.receive(raw));
    channel.onExit((reason) => {
      if (this.channel !== channel) return;
      this.channel = undefined;
      if (this.disposed) return;
      this.failAll(`engine process ended: ${reason}`);
      this.emit({ kind: 'engine-crashed', reason });
      if (this.options.restart !== false) {
        // Announced when the new engine says it is ready: only then is its pid known (a
        // utilityProcess has none before it has started).
        this.announceRestart = true;
        this.start();
      }
    });
  }

  private failAll(reason: string): void {
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new EngineError(reason, 'ENGINE_EXITED'));
    }
  }

  private protocolError(message: string): void {
    (this.options.onProtocolError ?? ((m) => console.error(`[engine-host] ${m}`)))(message);
  }

  private receive(raw: unknown): void {
    const parsed = EngineMessageSchema.safeParse(raw);
    if (!parsed.success) {
      this.protocolError(
        `malformed message from engine: ${describeIssues(parsed.error, 'message')}`,
      );
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        if (this.announceRestart) {
          this.announceRestart = false;
          this.emit({ kind: 'engine-restarted', pid: message.pid });
        }
        for (const waiter of this.readyWaiters.splice(0)) waiter();
        return;
      case 'event':
        this.emit(message.event);
        return;
      case 'rejected': {
        const p = message.id === null ? undefined : this.pending.get(message.id);
        if (p && message.id !== null) {
          this.pending.delete(message.id);
          p.reject(new EngineError(message.error.message, message.error.code ?? 'REJECTED'));
        } else {
          this.protocolError(`engine rejected a message: ${message.error.message}`);
        }
        return;
      }
      case 'result': {
        const p = this.pending.get(message.id);
        if (!p) {
          this.protocolError(`result for unknown request ${message.id}`);
          return;
        }
        this.pending.delete(message.id);
        if (!message.ok) {
          p.reject(new EngineError(message.error.message, message.error.code));
          return;
        }
        const value = EngineResultSchemas[p.type].safeParse(message.value);
        if (value.success) p.resolve(value.data);
        else
          p.reject(new EngineError(`malformed ${p.type} result: ${describeIssues(value.error)}`));
      }
    }
  }
}
