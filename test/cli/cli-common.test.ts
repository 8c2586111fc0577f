// Which CLI commands get the engine's twin thread: the engine's own plan (thread-plan.ts) read
// over the environment each command gives its engine.
import { describe, expect, it } from 'vitest';
import { engineEnv } from '../../src/cli/cli-common';
import { applyThreadPlan, TWIN_ENV } from '../../src/engine/thread-plan';

const planFor = (trains: boolean, user: NodeJS.ProcessEnv = {}) =>
  applyThreadPlan({ ...user, ...engineEnv(trains, user) }, true, 2);

describe('engineEnv', () => {
  it('gives a command that trains the twin, and the others one thread', () => {
    expect(planFor(true).twin).toBe(true);
    const alone = planFor(false);
    expect(alone.twin).toBe(false);
    // One thread: TensorFlow keeps its own pool for the decoding and the batches.
    expect(alone.intraOpThreads).toBeNull();
    expect(alone.reason).toMatch(/LENET_STUDIO_TWIN_THREAD=0: one thread/);
  });

  it("keeps the user's choice either way", () => {
    expect(planFor(false, { [TWIN_ENV]: '1' }).twin).toBe(true);
    expect(planFor(true, { [TWIN_ENV]: '0' }).twin).toBe(false);
  });
});
