// Coalesced requests (feature maps while drawing, the layer table and distortion preview while
// the form changes): one in flight, the latest waiting input wins, stale answers are not shown
// over newer waiting ones, debounced inputs count only after the quiet period, cancel drops all.
import { describe, expect, it } from 'vitest';
import { latestRequest } from '../../../src/renderer/src/services/latest-request';

/** A run whose answers the test releases one by one. */
function gatedRuns() {
  const started: number[] = [];
  const release: (() => void)[] = [];
  const run = (input: number): Promise<number> => {
    started.push(input);
    return new Promise((resolve) => release.push(() => resolve(input * 10)));
  };
  return { started, release, run };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('latestRequest', () => {
  it('runs one at a time and skips inputs replaced while waiting', async () => {
    const { started, release, run } = gatedRuns();
    const shown: number[] = [];
    const requests = latestRequest<number, number>({
      run,
      onResult: (r) => shown.push(r),
      onError: () => undefined,
    });
    requests.request(1);
    requests.request(2);
    requests.request(3);
    await tick();
    expect(started).toEqual([1]);
    // A newer input waits: the answer to 1 is dropped, 3 starts (2 never does).
    release.shift()!();
    await tick();
    expect(started).toEqual([1, 3]);
    expect(shown).toEqual([]);
    release.shift()!();
    await requests.settled();
    expect(shown).toEqual([30]);
    expect(requests.busy).toBe(false);
  });

  it('reports a failure and keeps taking requests', async () => {
    const errors: unknown[] = [];
    const shown: number[] = [];
    let fail = true;
    const requests = latestRequest<number, number>({
      run: async (input) => {
        if (fail) throw new Error('no model');
        return input;
      },
      onResult: (r) => shown.push(r),
      onError: (e) => errors.push(e),
    });
    requests.request(1);
    await requests.settled();
    fail = false;
    requests.request(2);
    await requests.settled();
    expect(errors).toHaveLength(1);
    expect(shown).toEqual([2]);
  });

  it('debounces: only the last input of a burst runs, after the quiet period', async () => {
    const clock = manualTimers();
    const started: number[] = [];
    const shown: number[] = [];
    const requests = latestRequest<number, number>({
      run: async (input) => {
        started.push(input);
        return input;
      },
      onResult: (r) => shown.push(r),
      onError: () => undefined,
      debounceMs: 200,
      timers: clock,
    });
    requests.request(1);
    requests.request(2);
    expect(requests.busy).toBe(true);
    expect(clock.pending()).toBe(1);
    clock.fire();
    await requests.settled();
    expect(started).toEqual([2]);
    expect(shown).toEqual([2]);
    expect(requests.busy).toBe(false);
  });

  it('cancel drops a debouncing input and the answer of one in flight', async () => {
    const clock = manualTimers();
    const { started, release, run } = gatedRuns();
    const shown: number[] = [];
    const requests = latestRequest<number, number>({
      run,
      onResult: (r) => shown.push(r),
      onError: () => undefined,
      debounceMs: 50,
      timers: clock,
    });
    requests.request(1);
    clock.fire();
    await tick();
    expect(started).toEqual([1]);
    requests.request(2);
    requests.cancel();
    expect(clock.pending()).toBe(0);
    release.shift()!();
    await requests.settled();
    expect(started).toEqual([1]);
    expect(shown).toEqual([]);
  });
});

/** Timers the test fires by hand, so no test waits on the wall clock. */
function manualTimers() {
  const queue = new Map<number, () => void>();
  let next = 0;
  return {
    set(fn: () => void) {
      queue.set(++next, fn);
      return next;
    },
    clear(handle: unknown) {
      queue.delete(handle as number);
    },
    pending: () => queue.size,
    fire() {
      const due = [...queue.values()];
      queue.clear();
      due.forEach((fn) => fn());
    },
  };
}
