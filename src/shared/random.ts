// Seeded pseudo-random numbers (mulberry32) and shuffling, so that a run with the same seed
// sees the same data order. The generator state is a single uint32, easy to checkpoint.

export interface Rng {
  /** Next float in [0, 1). */
  next(): number;
  /** The current state, to save and restore (checkpoints). */
  readonly state: number;
}

export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  return {
    next() {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
    get state() {
      return state;
    },
  };
}

/** A random permutation of 0..n-1 (Fisher–Yates). */
export function shuffledIndices(n: number, rng: Rng): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const tmp = out[i] as number;
    out[i] = out[j] as number;
    out[j] = tmp;
  }
  return out;
}
