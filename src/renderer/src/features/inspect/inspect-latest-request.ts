// At most one request in flight, the latest input wins: while someone draws, inputs arrive far
// faster than the engine answers, so an input given while one request runs replaces any other
// waiting one, and starts when the running one returns. Answers to superseded inputs are dropped
// when a newer one is already waiting, so the panel never paints a drawing older than one shown.

export interface LatestRequest<I> {
  /** Asks for `input`'s answer; replaces any input still waiting. */
  request(input: I): void;
  readonly busy: boolean;
  /** Resolves once nothing runs and nothing waits (tests, teardown). */
  settled(): Promise<void>;
}

export interface LatestRequestHandlers<I, R> {
  run(input: I): Promise<R>;
  /** An answer to `input`, unless a newer input is already waiting. */
  onResult(result: R, input: I): void;
  onError(error: unknown, input: I): void;
  /** Nothing runs and nothing waits any more (after the last answer or error). */
  onSettled?(): void;
}

export function latestRequest<I, R>(handlers: LatestRequestHandlers<I, R>): LatestRequest<I> {
  let running: Promise<void> | null = null;
  let waiting: { input: I } | null = null;

  const loop = async (): Promise<void> => {
    while (waiting) {
      const { input } = waiting;
      waiting = null;
      try {
        const result = await handlers.run(input);
        if (!waiting) handlers.onResult(result, input);
      } catch (error) {
        if (!waiting) handlers.onError(error, input);
      }
    }
    running = null;
    handlers.onSettled?.();
  };

  return {
    request(input) {
      waiting = { input };
      running ??= loop();
    },
    get busy() {
      return running !== null;
    },
    async settled() {
      while (running) await running;
    },
  };
}
