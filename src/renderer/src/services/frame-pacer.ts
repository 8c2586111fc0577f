// Paces work that arrives as many small tasks (a file read's completion is a task of its own)
// to the page's frames: at most `perFrame` items start between two frames. Without it, 16 reads
// in flight kept the main thread's queue full, and Chromium lets a waiting frame go only after
// ~100 ms of that (frame gaps of 75-100 ms measured in the Classify view); paced, each frame
// starts a frame's worth and the thread is idle again before the next one is due.
//
// `nextFrame` resolves at the next frame (requestAnimationFrame in the page); a hidden page has
// no frames to protect and none arrive, so the app passes one that does not wait then. Pure (no
// DOM here): the app's main.ts brings the browser's frames.

export interface FramePacer {
  /** Resolves when one more item may start in this frame (or the next). */
  next(): Promise<void>;
}

export function createFramePacer(perFrame: number, nextFrame: () => Promise<void>): FramePacer {
  let started = 0;
  let frame: Promise<void> | null = null;
  const waitForFrame = (): Promise<void> =>
    (frame ??= nextFrame().then(() => {
      frame = null;
      started = 0;
    }));
  return {
    async next() {
      while (started >= perFrame) await waitForFrame();
      started++;
    },
  };
}
