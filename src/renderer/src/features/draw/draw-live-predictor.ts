// Live prediction while someone draws: pointer events arrive far faster than predictions come
// back, so at most one prediction is in flight and, when it returns, the next one starts from
// the drawing as it is *then*. Intermediate drawings are skipped, the latest is never lost.

export interface LatestOnly {
  /** Asks for a run; coalesced with any other request made while one is running. */
  request(): void;
  readonly busy: boolean;
  /** Resolves once no run is going and none is pending (tests, teardown). */
  settled(): Promise<void>;
}

/** `task` reads the current state itself; it must not throw (report errors inside it). */
export function latestOnly(task: () => Promise<void>): LatestOnly {
  let running: Promise<void> | null = null;
  let again = false;

  const loop = async (): Promise<void> => {
    do {
      again = false;
      try {
        await task();
      } catch {
        // The task reports its own errors; a stray one must not stop later requests.
      }
    } while (again);
    running = null;
  };

  return {
    request() {
      if (running) {
        again = true;
        return;
      }
      running = loop();
    },
    get busy() {
      return running !== null;
    },
    async settled() {
      while (running) await running;
    },
  };
}
