// Decides when a high-frequency stream (batch progress) may emit: at most once per interval,
// so that hosts and charts are not flooded however fast training runs.
export interface Throttle {
  /** True when an emission is due at time `now` (ms); records it. */
  due(now: number): boolean;
}

export function createThrottle(minIntervalMs: number): Throttle {
  let last = -Infinity;
  return {
    due(now) {
      if (now - last < minIntervalMs) return false;
      last = now;
      return true;
    },
  };
}

/** Seconds left at the current pace; 0 when done, Infinity-safe for the first samples. */
export function etaSeconds(done: number, total: number, elapsedSeconds: number): number {
  if (done <= 0 || elapsedSeconds <= 0) return 0;
  return Math.max(0, ((total - done) * elapsedSeconds) / done);
}
