// Comparing runs in the Models view, in browser mode: two short one-epoch runs trained through
// the UI (real server, real engine), ticked for comparison. Each shows a training curve per batch
// (its recorded batch history, as many points as its batches.jsonl holds) rather than a lone
// epoch dot, the smoothing slider works, and the settings table lists the dataset and exactly
// the settings the two runs were given differently.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { tempDir } from '../helpers/fixtures';
import { chromiumMissingReason } from './helpers/chromium';
import { modelsPage, runIds } from './helpers/models-page';
import { openStudio, type StudioSession } from './helpers/studio-session';
import { studioPage, waitUntil, type RunSettings } from './helpers/studio-page';

const missing = chromiumMissingReason();
if (missing) console.warn(`[e2e] Models comparison tests skipped: ${missing}`);

/** Set to a .png path to save a screenshot of the comparison. */
const SCREENSHOT = process.env.COMPARE_SCREENSHOT;

/** Lines of a run's batches.jsonl: the points its batch curve should have. */
function recordedBatches(runsDir: string, runId: string): number {
  return readFileSync(path.join(runsDir, runId, 'batches.jsonl'), 'utf8')
    .trim()
    .split('\n').length;
}

describe.skipIf(missing !== null)('Comparing runs (browser mode)', () => {
  const runsDir = tempDir('lenet-e2e-compare-');
  let studio: StudioSession;
  let page: Page;

  beforeAll(async () => {
    studio = await openStudio({ runsDir });
    ({ page } = studio);
  });

  afterAll(async () => {
    await studio?.close();
    rmSync(runsDir, { recursive: true, force: true });
  });

  async function trainRun(settings: RunSettings): Promise<string> {
    const ui = studioPage(page);
    const before = runIds(runsDir);
    await ui.configure(settings);
    await ui.start.click();
    await ui.waitForStatus('Finished', 120_000);
    const [id] = runIds(runsDir).filter((r) => !before.includes(r));
    expect(id).toBeDefined();
    return id!;
  }

  it('overlays two one-epoch runs as batch curves and lists the settings that differ', async () => {
    const a = await trainRun({ trainLimit: 600, testLimit: 200, epochs: 1, batchSize: 16 });
    const b = await trainRun({ trainLimit: 400, testLimit: 200, epochs: 1, batchSize: 32 });

    const models = modelsPage(page);
    await models.show('Models');
    await models.waitForStatus(a, 'Completed');
    await models.waitForStatus(b, 'Completed');
    await models.compare(a);
    await models.compare(b);
    const legend = page.getByRole('list', { name: 'Compared runs' }).getByRole('listitem');
    await waitUntil(
      () => legend.count(),
      (n) => n === 2,
      10_000,
      'two runs in the legend',
    );

    // Each run's training is a curve of its recorded batch points (the first batch, the
    // throttled ones, the epoch's last: at least two), its validation one point per epoch.
    const expected = recordedBatches(runsDir, a) + recordedBatches(runsDir, b);
    expect(recordedBatches(runsDir, a)).toBeGreaterThanOrEqual(2);
    expect(recordedBatches(runsDir, b)).toBeGreaterThanOrEqual(2);
    for (const name of [/loss/, /accuracy/]) {
      const chart = page.locator('figure', { has: page.getByRole('img', { name }) });
      await waitUntil(
        async () => Number(await chart.getAttribute('data-batch-points')),
        (n) => n === expected,
        10_000,
        `batch points in the ${String(name)} chart`,
      );
      expect(Number(await chart.getAttribute('data-epoch-points'))).toBe(2);
    }
    // Each run has its own key (marker and dash) in the legend.
    const markers = await page
      .getByRole('list', { name: 'Compared runs' })
      .locator('svg')
      .evaluateAll((svgs) => svgs.map((svg) => svg.getAttribute('data-marker')));
    expect(markers).toEqual(['circle', 'rect']);

    // TensorBoard's smoothing, 0.6 to start with.
    const slider = page.getByRole('slider', { name: 'Smoothing' });
    expect(await slider.inputValue()).toBe('0.6');
    await slider.fill('0.9');
    await page.locator('.smoothing output').filter({ hasText: '0.90' }).waitFor();

    // The settings: the dataset, then only what was set differently, in the runs' order.
    const table = page.getByRole('table', { name: /settings that differ/ });
    const rows = table.locator('tbody tr');
    await waitUntil(
      () => rows.count(),
      (n) => n === 3,
      10_000,
      'three rows of settings',
    );
    const cells = async (setting: string) =>
      (await table.locator(`tr[data-setting="${setting}"] > *`).allTextContents()).map((t) =>
        t.trim(),
      );
    expect(await cells('dataset')).toEqual(['Dataset', 'MNIST', 'MNIST']);
    expect(await cells('batchSize')).toEqual(['Batch size', '16', '32']);
    expect(await cells('trainLimit')).toEqual(['Training subset', '600', '400']);
    expect(await page.getByTestId('config-diff-note').textContent()).toMatch(
      /\d+ other settings are the same/,
    );
    expect(studio.problems).toEqual([]);

    if (SCREENSHOT) {
      await page.mouse.move(0, 0);
      await page.locator('section.compare').screenshot({ path: SCREENSHOT });
    }
  }, 300_000);
});
