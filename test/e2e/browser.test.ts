// End to end in browser mode: the real server, the real engine (tfjs-node), the built renderer,
// Debian's Chromium. Small MNIST subsets keep it to seconds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { configFields } from '../../src/renderer/src/features/train/config-fields';
import type { RunningServer } from '../../src/server/index';
import { chromiumMissingReason } from './helpers/chromium';
import { openStudio, type StudioSession } from './helpers/studio-session';
import { studioPage, waitUntil } from './helpers/studio-page';
import { watchingClient } from './helpers/studio-client';

const missing = chromiumMissingReason();
if (missing) console.warn(`[e2e] browser-mode tests skipped: ${missing}`);

function percentOf(text: string | null): number {
  const match = /([\d.]+)%/.exec(text ?? '');
  return match ? Number(match[1]) : Number.NaN;
}

describe.skipIf(missing !== null)('LeNet Studio in a browser (browser mode)', () => {
  let server: RunningServer;
  let studio: StudioSession;
  let browser: Browser;
  let page: Page;
  /** Console errors, page errors and CSP violations: a clean run has none. */
  let problems: string[] = [];

  beforeAll(async () => {
    studio = await openStudio({ open: false });
    ({ server, browser, page } = studio);
    problems = studio.problems;
  });

  afterAll(async () => {
    await studio?.close();
  });

  it('without the token, or with a wrong one, the page loads but the engine is out of reach', async () => {
    const other = await browser.newPage();
    try {
      for (const address of [`${server.origin}/#token=${'0'.repeat(64)}`, `${server.origin}/`]) {
        // The page is public code; the WebSocket handshake is what the token guards.
        const refused = other
          .waitForEvent('websocket')
          .then((ws) => new Promise<void>((resolve) => ws.once('close', () => resolve())));
        const response = await other.goto(address);
        expect(response?.status()).toBe(200);
        await refused;
        await other.getByText(/open the address `npm run serve` printed/).waitFor();
        expect(await other.getByText(/TensorFlow \d+\.\d+/).count()).toBe(0);
      }
    } finally {
      await other.close();
    }
  });

  it('opens the studio with the token and shows the engine', async () => {
    const response = await page.goto(server.url);
    expect(response?.status()).toBe(200);
    const ui = studioPage(page);
    await page.getByText(/TensorFlow \d+\.\d+/).waitFor();
    await ui.status.filter({ hasText: 'Ready' }).waitFor();
    expect(await ui.start.isEnabled()).toBe(true);
    expect(await ui.pause.isDisabled()).toBe(true);
    expect(await ui.stop.isDisabled()).toBe(true);
  });

  it('keeps the token out of the address bar, history and cookies; a reload still works', async () => {
    expect(page.url()).toBe(`${server.origin}/`);
    expect(await page.evaluate('window.location.hash')).toBe('');
    expect(await page.context().cookies()).toEqual([]);
    expect(await page.evaluate('sessionStorage.getItem("lenet-studio.token")')).toBe(server.token);
    // Same tab, no token in the address: sessionStorage brings it back.
    await page.reload();
    await page.getByText(/TensorFlow \d+\.\d+/).waitFor();
    await studioPage(page).status.filter({ hasText: 'Ready' }).waitFor();
    expect(page.url()).toBe(`${server.origin}/`);
  });

  it('validates settings inline from the shared schema', async () => {
    const ui = studioPage(page);
    await ui.configure({ batchSize: 0 });
    await page.getByText('Must be at least 1').waitFor();
    expect(await ui.start.isDisabled()).toBe(true);
    await ui.configure({ batchSize: 128 });
    await page.getByText('Must be at least 1').waitFor({ state: 'detached' });
    expect(await ui.start.isEnabled()).toBe(true);
  });

  it('an empty dataset folder field asks for the folder, not in red, and holds Start back', async () => {
    const ui = studioPage(page);
    await page.getByRole('radiogroup', { name: 'Dataset source' }).getByText('Folder').click();
    const field = page.locator('#dataset-path');
    await field.waitFor();
    await page.getByText(/Type or choose it: IDX files/).waitFor();
    expect(await field.getAttribute('aria-invalid')).not.toBe('true');
    expect(await page.getByText(/dataset folder is empty/i).count()).toBe(0);
    expect(await ui.start.isDisabled()).toBe(true);
    await page
      .getByRole('radiogroup', { name: 'Dataset source' })
      .getByText('Bundled MNIST')
      .click();
    await page.waitForFunction('!document.querySelector("#dataset-path")');
    expect(await ui.start.isEnabled()).toBe(true);
  });

  it('renders every option of the shared table as a field in its fieldset, with its bounds', async () => {
    for (const group of configFields()) {
      const fieldset = page.getByRole('group', { name: group.legend, exact: true });
      for (const field of group.fields) {
        if (field.kind === 'segmented') {
          const radios = fieldset.getByRole('radiogroup', { name: field.label, exact: true });
          expect(await radios.getByRole('radio').count()).toBe(field.options.length);
          continue;
        }
        const control = fieldset.getByLabel(field.label, { exact: true });
        expect(await control.getAttribute('id')).toBe(field.id);
        if (field.kind === 'number') {
          expect(await control.getAttribute('type')).toBe('number');
          expect(await control.getAttribute('min')).toBe(String(field.min));
          expect(await control.getAttribute('max')).toBe(
            field.max === undefined ? null : String(field.max),
          );
          expect(await control.getAttribute('step')).toBe(String(field.step));
        } else {
          const labels = await control.locator('option').allTextContents();
          expect(labels.map((l) => l.trim())).toEqual(field.options.map((o) => o.label));
        }
      }
    }
  });

  it("picking an architecture fills in its preset's own settings", async () => {
    const architecture = page.getByLabel('Architecture', { exact: true });
    const activation = page.getByLabel('Activation', { exact: true });
    const batchSize = page.getByLabel('Batch size', { exact: true });
    await architecture.selectOption('lenet5-1998');
    expect(await activation.inputValue()).toBe('scaled-tanh');
    expect(await batchSize.inputValue()).toBe('16');
    await architecture.selectOption('lenet5');
    expect(await activation.inputValue()).toBe('relu');
    expect(await batchSize.inputValue()).toBe('128');
  });

  it('trains live on a subset: chart points, progress, pause and resume, stop, final accuracy', async () => {
    const ui = studioPage(page);
    // Many small batches and epochs: long enough to pause, resume and stop mid-run.
    await ui.configure({ trainLimit: 3000, testLimit: 1000, epochs: 40, batchSize: 32 });
    await ui.start.click();

    await waitUntil(
      () => ui.chartPoints(ui.lossChart),
      (n) => n >= 4,
      60_000,
      'loss chart points',
    );
    const early = await waitUntil(
      () => ui.progress(),
      (p) => p > 0,
      30_000,
      'progress',
    );
    await waitUntil(
      () => ui.progress(),
      (p) => p > early,
      30_000,
      'progress to advance',
    );

    const watcher = watchingClient(server);
    await watcher.client.getInfo(); // connected: it sees every event from here on
    const pausedEvent = watcher.next('paused');
    await ui.pause.click();
    await ui.waitForStatus('Paused');
    await ui.resume.waitFor();
    const paused = await pausedEvent;
    const pausedAt = await ui.progress();
    const pointsAtPause = await ui.chartPoints(ui.lossChart);
    // A round trip through the server and the engine: had training gone on after the pause,
    // its events would have reached this client before the reply.
    expect((await watcher.client.getInfo()).engine.training).toBe(true);
    expect(watcher.events.slice(watcher.events.indexOf(paused) + 1)).toEqual([]);
    watcher.close();
    expect(await ui.progress()).toBe(pausedAt);
    expect(await ui.chartPoints(ui.lossChart)).toBe(pointsAtPause);

    await ui.resume.click();
    await ui.waitForStatus('Training');
    await waitUntil(
      () => ui.progress(),
      (p) => p > pausedAt,
      30_000,
      'progress after resume',
    );
    await waitUntil(
      () => ui.chartPoints(ui.accuracyChart),
      (n) => n >= 2,
      60_000,
      'an epoch point',
    );

    await ui.stop.click();
    await ui.waitForStatus('Stopped');
    const accuracy = percentOf(await ui.testAccuracy.textContent());
    expect(accuracy).toBeGreaterThan(50);
    expect(accuracy).toBeLessThanOrEqual(100);
    expect(await page.getByTestId('test-accuracy').textContent()).toMatch(/1,000 test images/);
    expect(await ui.start.isEnabled()).toBe(true);
  }, 180_000);

  it('runs a short training to the end', async () => {
    const ui = studioPage(page);
    await ui.configure({ trainLimit: 3000, testLimit: 1000, epochs: 2, batchSize: 64 });
    await ui.start.click();
    await ui.waitForStatus('Finished', 120_000);
    expect(await ui.progress()).toBe(100);
    expect(await ui.chartPoints(ui.accuracyChart)).toBe(4); // train + validation, 2 epochs
    expect(percentOf(await ui.testAccuracy.textContent())).toBeGreaterThan(80);
    // The header names the new current model and the data it learned.
    await page
      .getByTestId('header-model')
      .filter({ hasText: /lenet5 · MNIST · \d+\.\d+%/ })
      .waitFor();
    await page
      .getByTestId('model-change')
      .getByText(/is now the current model/)
      .waitFor();
    expect(problems).toEqual([]);
  }, 180_000);

  it('tells the user when the engine crashes, and keeps working with a fresh one', async () => {
    const ui = studioPage(page);
    const enginePid = async (): Promise<number> =>
      Number(
        /engine pid (\d+)/.exec(
          (await page.getByTestId('engine-status').getAttribute('title')) ?? '',
        )?.[1],
      );
    const pid = await waitUntil(enginePid, (p) => p > 0, 10_000, 'the engine pid');

    await ui.configure({ trainLimit: 3000, testLimit: 1000, epochs: 40, batchSize: 32 });
    await ui.start.click();
    await waitUntil(
      () => ui.chartPoints(ui.lossChart),
      (n) => n >= 2,
      60_000,
      'loss chart points',
    );
    process.kill(pid, 'SIGKILL');

    await page
      .getByRole('alert')
      .filter({ hasText: /stopped unexpectedly/ })
      .waitFor({ timeout: 30_000 });
    await ui.waitForStatus('Failed');
    // A fresh engine comes up (new pid) and the studio trains again.
    await waitUntil(enginePid, (p) => p > 0 && p !== pid, 60_000, 'a new engine pid');
    await page.getByText(/ready again/).waitFor({ timeout: 30_000 });
    await ui.configure({ epochs: 1, batchSize: 128 });
    await ui.start.click();
    await ui.waitForStatus('Finished', 120_000);
    expect(percentOf(await ui.testAccuracy.textContent())).toBeGreaterThan(50);
    // The failed train request surfaces only as the crash notice: no uncaught errors.
    expect(problems).toEqual([]);
  }, 180_000);
});
