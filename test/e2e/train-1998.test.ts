// The Train view's 1998 additions end to end in browser mode (real server, real engine, built
// renderer, Chromium): the layer table of lenet5-1998, the distortion preview grid, the paper's
// reference lines on the accuracy chart, and the per-epoch confusion panel with C1's filters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumMissingReason } from './helpers/chromium';
import { openStudio, type StudioSession } from './helpers/studio-session';
import { studioPage, waitUntil } from './helpers/studio-page';

const missing = chromiumMissingReason();
if (missing) console.warn(`[e2e] browser-mode tests skipped: ${missing}`);

describe.skipIf(missing !== null)('Train view: LeNet-5 as in 1998 (browser mode)', () => {
  let studio: StudioSession;
  let page: Page;
  let problems: string[] = [];

  beforeAll(async () => {
    studio = await openStudio({ viewport: { width: 1440, height: 1400 } });
    ({ page } = studio);
    problems = studio.problems;
  }, 120_000);

  afterAll(async () => {
    await studio?.close();
  });

  it("shows lenet5-1998's layer table with the paper's 60,000 parameters", async () => {
    await page.getByLabel('Architecture', { exact: true }).selectOption('lenet5-1998');
    const total = page.getByTestId('layer-table-total');
    await total.filter({ hasText: '60,000' }).waitFor();
    const table = page.getByTestId('layer-table');
    expect(await table.locator('[data-layer="c3"] td').last().textContent()).toBe('1,516');
    expect(await table.locator('[data-layer="c5"] td').nth(2).textContent()).toBe('1 × 1 × 120');
  });

  it('shows the shape fault in the table when the widths cannot work', async () => {
    await page.getByLabel('C1 feature maps', { exact: true }).fill('12');
    await page
      .getByTestId('layer-table-error')
      .filter({ hasText: /C3 connection table/ })
      .waitFor();
    await page.getByLabel('C1 feature maps', { exact: true }).fill('');
    await page.getByTestId('layer-table-total').filter({ hasText: '60,000' }).waitFor();
  });

  it('turning distortions on shows the preview grid of augmented samples', async () => {
    await page.getByLabel('Distortion: shift (px)', { exact: true }).fill('2');
    await page.getByLabel('Distortion: shear', { exact: true }).fill('0.2');
    const grid = page.getByTestId('distortion-grid');
    await waitUntil(
      async () => Number(await grid.getAttribute('data-tiles')),
      (n) => n > 0,
      30_000,
      'the preview grid',
    );
    // The canvas holds the engine's bytes: some ink is drawn.
    const inked = await grid.evaluate((el) => {
      // The test's tsconfig has no DOM types: the canvas's few members it reads, typed here.
      const c = el as unknown as {
        width: number;
        height: number;
        getContext(kind: '2d'): { getImageData(...box: number[]): { data: Uint8ClampedArray } };
      };
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let ink = 0;
      for (let i = 0; i < data.length; i += 4) if ((data[i] as number) > 128) ink++;
      return { width: c.width, ink };
    });
    expect(inked.width).toBe(8 * 28 + 7);
    expect(inked.ink).toBeGreaterThan(100);
  });

  it('trains a short run to the end, with the reference lines and the confusion panel', async () => {
    const ui = studioPage(page);
    await ui.configure({ trainLimit: 600, testLimit: 200, epochs: 2, batchSize: 32 });
    await page.getByText('Per-epoch validation detail and C1 filters').click();
    await ui.start.click();
    await ui.waitForStatus('Finished', 180_000);
    await page.getByTestId('train-confusion').waitFor({ timeout: 10_000 });
    expect(Number(await ui.accuracyChart.getAttribute('data-references'))).toBe(2);
    await ui.accuracyChart.getByText('Paper 99.05% (no distortions)').waitFor();
    await ui.accuracyChart.getByText('Paper 99.20% (distortions)').waitFor();
    expect(await ui.chartPoints(ui.accuracyChart)).toBe(4);
    // 10×10 counts, rows = true digit, plus the per-class accuracy column.
    const rows = page.getByTestId('train-confusion').locator('tbody tr');
    expect(await rows.count()).toBe(10);
    expect(await rows.first().locator('td').count()).toBe(11);
    // C1's six filters, read from the model after its last epoch.
    const filters = page.getByTestId('train-filters').getByRole('img');
    await filters.first().waitFor({ timeout: 20_000 });
    expect(await filters.count()).toBe(6);
    expect(problems).toEqual([]);
  }, 240_000);
});
