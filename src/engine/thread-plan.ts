// How many threads the engine computes on, decided before TensorFlow loads (it reads its pool
// size once, from TF_NUM_INTRAOP_THREADS). LeNet-5's ops are small: on 2 cores, TensorFlow's
// pool splits each over both cores for little gain (a step at batch 128: 11.2k samples/s on
// one thread, 15.3k on two), where two threads each running half the batch inline on a pool of
// one reach 19.3k (measured here, scripts in the issue 13 note). So on 2 or 3 cores the engine
// runs a twin thread (twin-thread.ts) and a pool of one; on more it keeps TensorFlow's pool,
// shared by both threads. A value the user set is always kept.
import { availableParallelism } from 'node:os';
import type { ThreadInfo } from '../shared/engine-protocol';

export const INTRA_OP_ENV = 'TF_NUM_INTRAOP_THREADS';
/** LENET_STUDIO_TWIN_THREAD=0 keeps the engine on one thread. */
export const TWIN_ENV = 'LENET_STUDIO_TWIN_THREAD';

/**
 * Decides the twin and TensorFlow's pool for `cores` cores, setting TF_NUM_INTRAOP_THREADS in
 * `env` where it decides it. `twinAvailable`: whether the twin's entry is there to start.
 */
export function applyThreadPlan(
  env: NodeJS.ProcessEnv,
  twinAvailable: boolean,
  cores: number = availableParallelism(),
): ThreadInfo {
  const off = env[TWIN_ENV] === '0';
  const twin = !off && twinAvailable && cores >= 2;
  const reason = off
    ? `${TWIN_ENV}=0: one thread`
    : !twinAvailable
      ? 'the twin thread entry is missing: one thread'
      : cores < 2
        ? 'one core: one thread'
        : `${cores} cores: a twin thread takes half of each batch`;
  const given = env[INTRA_OP_ENV];
  if (given !== undefined && given !== '') {
    return {
      twin,
      intraOpThreads: Number.parseInt(given, 10) > 0 ? Number.parseInt(given, 10) : null,
      reason: `${reason}; ${INTRA_OP_ENV}=${given} set by the user`,
    };
  }
  if (twin && cores <= 3) {
    env[INTRA_OP_ENV] = '1';
    return { twin, intraOpThreads: 1, reason: `${reason}, each running its ops inline` };
  }
  return { twin, intraOpThreads: null, reason };
}
