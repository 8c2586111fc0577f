import { describe, expect, it } from 'vitest';
import { latestOnly } from '../../../../src/renderer/src/features/draw/draw-live-predictor';

/** A task whose runs finish when the test says so, and that tells when each run starts. */
function controlledTask() {
  const finishers: Array<() => void> = [];
  const startWaiters: Array<{ runs: number; resolve: () => void }> = [];
  let runs = 0;
  let state = 0;
  const seen: number[] = [];
  const task = () => {
    runs++;
    seen.push(state); // reads the latest state when it starts
    for (const w of startWaiters.filter((w) => w.runs <= runs)) w.resolve();
    return new Promise<void>((resolve) => finishers.push(resolve));
  };
  return {
    task,
    get runs() {
      return runs;
    },
    seen,
    set state(v: number) {
      state = v;
    },
    finishNext() {
      finishers.shift()?.();
    },
    /** Resolves once the n-th run has started (the event that proves the follow-up ran). */
    started(n: number): Promise<void> {
      if (runs >= n) return Promise.resolve();
      return new Promise((resolve) => startWaiters.push({ runs: n, resolve }));
    },
  };
}

describe('latestOnly', () => {
  it('keeps at most one run in flight and always runs once more for the latest state', async () => {
    const c = controlledTask();
    const live = latestOnly(c.task);
    c.state = 1;
    live.request();
    expect(live.busy).toBe(true);
    for (const s of [2, 3, 4]) {
      c.state = s;
      live.request(); // coalesced while the first run is in flight
    }
    expect(c.runs).toBe(1);
    c.finishNext();
    await c.started(2);
    expect(c.runs).toBe(2);
    c.finishNext();
    // settled() resolves once nothing runs and nothing is pending: no third run can follow.
    await live.settled();
    expect(live.busy).toBe(false);
    expect(c.runs).toBe(2);
    expect(c.seen).toEqual([1, 4]); // the intermediate drawings were skipped, the latest was not
  });

  it('starts at once when idle, and survives a failing run', async () => {
    let calls = 0;
    const live = latestOnly(async () => {
      calls++;
      if (calls === 1) throw new Error('boom');
    });
    live.request();
    await live.settled();
    live.request();
    await live.settled();
    expect(calls).toBe(2);
  });
});
