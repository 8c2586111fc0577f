// Measures how the Train view keeps up while a run trains (for `npm run bench`): the longest
// gap between animation frames in the page, the batch progress events per second that reach
// the page, and whether the accuracy chart shows every epoch. Browser mode, real engine.
import type { Browser, WebSocket as PageSocket } from 'playwright-core';
import { studioPage, waitUntil, type RunSettings } from './studio-page';

export interface ResponsivenessReport {
  /** Longest time between two animation frames while training, ms (floor: ≤ 50). */
  maxFrameGapMs: number;
  frames: number;
  /** Batch events received per second of training (floor: 5–20). */
  progressEventsPerSecond: number;
  epochEvents: number;
  /** Points on the accuracy chart: two per epoch (train and validation) when none is missing. */
  epochPointsShown: number;
  trainSeconds: number;
}

interface FrameStats {
  max: number;
  frames: number;
}

/**
 * Counts frames and keeps the longest gap. A string, not a function: tsx's transform would add
 * helpers (`__name`) to a function that do not exist inside the page.
 */
const FRAME_PROBE = `(() => {
  const stats = { max: 0, frames: 0 };
  window.__lenetFrames = stats;
  let last = performance.now();
  const tick = (now) => {
    stats.max = Math.max(stats.max, now - last);
    stats.frames++;
    last = now;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

export async function measureResponsiveness(
  browser: Browser,
  url: string,
  settings: RunSettings,
): Promise<ResponsivenessReport> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
  try {
    const batchTimes: number[] = [];
    let epochEvents = 0;
    page.on('websocket', (socket: PageSocket) => {
      socket.on('framereceived', ({ payload }) => {
        if (typeof payload !== 'string' || !payload.startsWith('{"type":"event"')) return;
        const kind = (JSON.parse(payload) as { event: { kind: string } }).event.kind;
        if (kind === 'batch') batchTimes.push(Date.now());
        if (kind === 'epoch') epochEvents++;
      });
    });
    await page.goto(url);
    const ui = studioPage(page);
    await ui.status.filter({ hasText: 'Ready' }).waitFor();
    await ui.configure(settings);
    await ui.start.click();
    await waitUntil(
      () => ui.chartPoints(ui.lossChart),
      (n) => n > 0,
      120_000,
      'the first batch',
    );

    // Frame gaps are measured from the first batch on (data loading is not the UI's doing).
    await page.evaluate(FRAME_PROBE);
    await ui.waitForStatus('Finished', 30 * 60_000);
    const frames = (await page.evaluate('window.__lenetFrames')) as FrameStats;
    const first = batchTimes[0] ?? 0;
    const last = batchTimes[batchTimes.length - 1] ?? first;
    const trainSeconds = Math.max((last - first) / 1000, 1e-9);
    return {
      maxFrameGapMs: Math.round(frames.max * 10) / 10,
      frames: frames.frames,
      progressEventsPerSecond: Math.round(((batchTimes.length - 1) / trainSeconds) * 10) / 10,
      epochEvents,
      epochPointsShown: await ui.chartPoints(ui.accuracyChart),
      trainSeconds: Math.round(trainSeconds * 10) / 10,
    };
  } finally {
    await page.close();
  }
}
