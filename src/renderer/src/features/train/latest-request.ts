// A request that follows an input the person keeps changing (the layer table follows the
// settings, the distortion preview its strengths): calls wait `delayMs` after the last change
// (debounced), and an answer is delivered only if no later request was made meanwhile, so a
// slow answer never overwrites a newer one. Pure: no Vue; timers are injectable for tests.
export interface LatestRequest<A> {
  /** Asks for `arg`, after the delay; supersedes any pending or in-flight ask. */
  schedule(arg: A): void;
  /** Drops anything pending (the view went away). */
  cancel(): void;
}

export interface LatestHandlers<R> {
  result(value: R): void;
  error(message: string): void;
}

export function createLatestRequest<A, R>(
  run: (arg: A) => Promise<R>,
  handlers: LatestHandlers<R>,
  delayMs: number,
  timers: {
    set(fn: () => void, ms: number): unknown;
    clear(handle: unknown): void;
  } = {
    set: (fn, ms) => setTimeout(fn, ms),
    clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  },
): LatestRequest<A> {
  let generation = 0;
  let timer: unknown = null;
  const cancel = (): void => {
    generation++;
    if (timer !== null) timers.clear(timer);
    timer = null;
  };
  return {
    schedule(arg) {
      cancel();
      const mine = generation;
      timer = timers.set(() => {
        timer = null;
        run(arg).then(
          (value) => {
            if (mine === generation) handlers.result(value);
          },
          (err: unknown) => {
            if (mine === generation)
              handlers.error(err instanceof Error ? err.message : String(err));
          },
        );
      }, delayMs);
    },
    cancel,
  };
}
