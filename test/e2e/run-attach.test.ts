// The run's state lives in the host, not the page: a paused run survives a reload (same
// settings, same curves, Resume works), and a second tab shows and drives the same run.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/index';
import { tempDir } from '../helpers/fixtures';
import { chromiumMissingReason } from './helpers/chromium';
import { openStudio, type StudioSession } from './helpers/studio-session';
import { studioPage, waitUntil } from './helpers/studio-page';

const missing = chromiumMissingReason();

describe.skipIf(missing !== null)('a run outlives its page', () => {
  let server: RunningServer;
  let studio: StudioSession;
  let first: Page;
  let second: Page;

  beforeAll(async () => {
    studio = await openStudio({
      runsDir: path.join(tempDir(), 'runs'),
      viewport: { width: 1280, height: 860 },
    });
    ({ server, page: first } = studio);
  });

  afterAll(async () => {
    await studio?.close();
  });

  it('pause, reload: the paused run is still there, with its settings and curve, and resumes', async () => {
    const ui = studioPage(first);
    await ui.configure({ trainLimit: 3000, testLimit: 500, epochs: 30, batchSize: 32 });
    await ui.start.click();
    await waitUntil(
      () => ui.chartPoints(ui.lossChart),
      (n) => n >= 4,
      60_000,
      'loss points',
    );
    await ui.pause.click();
    await ui.waitForStatus('Paused');
    const points = await ui.chartPoints(ui.lossChart);
    const progress = await ui.progress();

    await first.reload();
    await ui.waitForStatus('Paused');
    expect(await first.getByLabel('Epochs', { exact: true }).inputValue()).toBe('30');
    expect(await first.getByLabel('Batch size', { exact: true }).inputValue()).toBe('32');
    expect(await ui.progress()).toBe(progress);
    expect(await ui.chartPoints(ui.lossChart)).toBe(points);
    await ui.resume.click();
    await ui.waitForStatus('Training');
    await waitUntil(
      () => ui.progress(),
      (p) => p > progress,
      60_000,
      'progress after resume',
    );
  }, 180_000);

  it('a second tab mirrors the run and can stop it; the first sees the stop', async () => {
    // The printed address again, as the README says for a second tab.
    second = await studio.browser.newPage({ viewport: { width: 1280, height: 860 } });
    await second.goto(server.url);
    const mirror = studioPage(second);
    await mirror.waitForStatus('Training');
    expect(await second.getByLabel('Epochs', { exact: true }).inputValue()).toBe('30');
    await waitUntil(
      () => mirror.chartPoints(mirror.lossChart),
      (n) => n >= 4,
      30_000,
      'points',
    );
    await mirror.stop.click();
    await mirror.waitForStatus('Stopped', 60_000);
    await studioPage(first).waitForStatus('Stopped', 60_000);
  }, 180_000);
});
