import { describe, expect, it } from 'vitest';
import { createFramePacer } from '../../../src/renderer/src/services/frame-pacer';

/** Frames on demand: `tick()` delivers the frame the pacer is waiting for. */
function frames() {
  const waiting: Array<() => void> = [];
  let requested = 0;
  return {
    nextFrame: () =>
      new Promise<void>((resolve) => {
        requested++;
        waiting.push(resolve);
      }),
    tick: () => waiting.shift()?.(),
    get requested() {
      return requested;
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('createFramePacer', () => {
  it('lets `perFrame` items start, then the rest wait for the next frame', async () => {
    const clock = frames();
    const pacer = createFramePacer(3, clock.nextFrame);
    let started = 0;
    const items = Array.from({ length: 7 }, () => pacer.next().then(() => started++));
    await settle();
    expect(started).toBe(3);
    // Every waiting item shares the one frame request.
    expect(clock.requested).toBe(1);
    clock.tick();
    await settle();
    expect(started).toBe(6);
    clock.tick();
    await Promise.all(items);
    expect(started).toBe(7);
    expect(clock.requested).toBe(2);
  });

  it('does not wait at all while a frame has room', async () => {
    const clock = frames();
    const pacer = createFramePacer(2, clock.nextFrame);
    await pacer.next();
    await pacer.next();
    expect(clock.requested).toBe(0);
  });
});
