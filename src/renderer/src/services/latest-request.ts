// A request that follows an input the person keeps changing (a drawing, the Train form's
// settings, the distortion strengths). At most one call runs; an input given while one runs
// replaces any other waiting input and starts when the running one returns, so inputs that
// arrive faster than the engine answers coalesce instead of queueing. An answer is delivered
// only if nothing newer waits and nothing cancelled it, so a slow answer never paints over a
// newer one. With `debounceMs`, a request waits that long after the last change before it
// counts (settings typed key by key). Pure: no Vue; timers are injectable for tests.

export interface LatestRequest<I> {
  /** Asks for `input`'s answer; replaces any input still waiting (or debouncing). */
  request(input: I): void;
  /** Drops what waits and the answer of what runs (the view went away, the input is invalid). */
  cancel(): void;
  readonly busy: boolean;
  /** Resolves once nothing runs, nothing waits and nothing debounces (tests, teardown). */
  settled(): Promise<void>;
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface LatestRequestOptions<I, R> {
  run(input: I): Promise<R>;
  /** An answer to `input`, unless a newer input already waits or it was cancelled. */
  onResult(result: R, input: I): void;
  onError(error: unknown, input: I): void;
  /** Nothing runs and nothing waits any more (after the last answer or error). */
  onSettled?(): void;
  debounceMs?: number;
  timers?: Timers;
}

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export function latestRequest<I, R>(options: LatestRequestOptions<I, R>): LatestRequest<I> {
  const timers = options.timers ?? realTimers;
  let running: Promise<void> | null = null;
  let waiting: { input: I } | null = null;
  let debounce: { handle: unknown; done: () => void; settledByIt: Promise<void> } | null = null;
  // Bumped by cancel(): an answer started before it belongs to an input nobody wants now.
  let generation = 0;

  const loop = async (): Promise<void> => {
    while (waiting) {
      const { input } = waiting;
      waiting = null;
      const mine = generation;
      try {
        const result = await options.run(input);
        if (!waiting && mine === generation) options.onResult(result, input);
      } catch (error) {
        if (!waiting && mine === generation) options.onError(error, input);
      }
    }
    running = null;
    options.onSettled?.();
  };

  const enqueue = (input: I): void => {
    waiting = { input };
    running ??= loop();
  };

  const clearDebounce = (): void => {
    if (!debounce) return;
    timers.clear(debounce.handle);
    debounce.done();
    debounce = null;
  };

  return {
    request(input) {
      const delay = options.debounceMs ?? 0;
      if (delay <= 0) {
        enqueue(input);
        return;
      }
      clearDebounce();
      let done = (): void => undefined;
      const settledByIt = new Promise<void>((resolve) => (done = resolve));
      const handle = timers.set(() => {
        debounce = null;
        enqueue(input);
        done();
      }, delay);
      debounce = { handle, done, settledByIt };
    },
    cancel() {
      generation++;
      waiting = null;
      clearDebounce();
    },
    get busy() {
      return running !== null || debounce !== null;
    },
    async settled() {
      while (running || debounce) await (debounce?.settledByIt ?? running);
    },
  };
}
