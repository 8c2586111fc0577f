// The engine's thread plan, decided before TensorFlow loads: a twin thread on 2 or more cores,
// TensorFlow's pool of one on 2 or 3, and what the user set always kept.
import { describe, expect, it } from 'vitest';
import { applyThreadPlan, INTRA_OP_ENV, TWIN_ENV } from '../../src/engine/thread-plan';

describe('thread plan', () => {
  it('on 2 cores: a twin, and a TensorFlow pool of one', () => {
    const env: NodeJS.ProcessEnv = {};
    const plan = applyThreadPlan(env, true, 2);
    expect(plan).toMatchObject({ twin: true, intraOpThreads: 1 });
    expect(env[INTRA_OP_ENV]).toBe('1');
  });

  it("on 8 cores: a twin, and TensorFlow's own pool", () => {
    const env: NodeJS.ProcessEnv = {};
    expect(applyThreadPlan(env, true, 8)).toMatchObject({ twin: true, intraOpThreads: null });
    expect(env[INTRA_OP_ENV]).toBeUndefined();
  });

  it('on one core, or without the twin entry, or turned off: one thread, the pool untouched', () => {
    for (const [env, available, cores, why] of [
      [{}, true, 1, /one core/],
      [{}, false, 2, /entry is missing/],
      [{ [TWIN_ENV]: '0' }, true, 2, new RegExp(`${TWIN_ENV}=0`)],
    ] as const) {
      const e: NodeJS.ProcessEnv = { ...env };
      const plan = applyThreadPlan(e, available, cores);
      expect(plan.twin).toBe(false);
      expect(plan.reason).toMatch(why);
      expect(e[INTRA_OP_ENV]).toBeUndefined();
    }
  });

  it("keeps the user's pool size, and says so", () => {
    const env: NodeJS.ProcessEnv = { [INTRA_OP_ENV]: '2' };
    const plan = applyThreadPlan(env, true, 2);
    expect(plan).toMatchObject({ twin: true, intraOpThreads: 2 });
    expect(plan.reason).toMatch(/set by the user/);
    expect(env[INTRA_OP_ENV]).toBe('2');
  });
});
