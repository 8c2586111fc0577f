// The Evaluate view's images end to end, in browser mode: the real server and engine, the built
// renderer and Debian's Chromium. A model trained on a small subset is evaluated on the whole
// MNIST test set; clicking an off-diagonal cell of the heat map shows that cell's images with
// their labels (checked against the real test labels on disk), the keyboard alone reaches a
// cell, opens its gallery and an image (with its feature maps), and a diagonal cell of about a
// thousand images renders only a screenful of cards.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { tempDir } from '../helpers/fixtures';
import { chromiumMissingReason } from './helpers/chromium';
import { openStudio, type StudioSession } from './helpers/studio-session';
import { mnistTest } from './helpers/draw-classify-page';
import { modelsPage } from './helpers/models-page';
import { studioPage, waitUntil } from './helpers/studio-page';

const missing = chromiumMissingReason();
if (missing) console.warn(`[e2e] Evaluate gallery tests skipped: ${missing}`);

interface CellInfo {
  actual: number;
  predicted: number;
  count: number;
}

async function cells(page: Page): Promise<CellInfo[]> {
  const all = page.getByTestId('confusion-cell');
  const n = await all.count();
  const out: CellInfo[] = [];
  for (let i = 0; i < n; i++) {
    const cell = all.nth(i);
    out.push({
      actual: Number(await cell.getAttribute('data-actual')),
      predicted: Number(await cell.getAttribute('data-predicted')),
      count: Number((await cell.textContent())?.trim()),
    });
  }
  return out;
}

function cellLocator(page: Page, c: { actual: number; predicted: number }): Locator {
  return page.locator(
    `[data-testid="confusion-cell"][data-actual="${c.actual}"][data-predicted="${c.predicted}"]`,
  );
}

/** What a canvas element offers the test (this file is typed without the DOM library). */
interface CanvasLike {
  getContext(kind: '2d'): { getImageData(...box: number[]): { data: ArrayLike<number> } } | null;
}

/** Presses Tab until the focused element matches `selector` (at most `limit` presses). */
async function tabTo(page: Page, selector: string, limit = 40): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if ((await page.locator(`${selector}:focus`).count()) === 1) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

describe.skipIf(missing !== null)('Evaluate view galleries (browser mode)', () => {
  const runsDir = tempDir('lenet-e2e-evalui-runs-');
  const mnist = mnistTest();
  let studio: StudioSession;
  let page: Page;
  let problems: string[] = [];
  let offDiagonal: CellInfo;

  beforeAll(async () => {
    studio = await openStudio({ runsDir, viewport: { width: 1440, height: 1000 } });
    ({ page } = studio);
    problems = studio.problems;
  });

  afterAll(async () => {
    await studio?.close();
    rmSync(runsDir, { recursive: true, force: true });
  });

  it('evaluates a small model: accuracy, loss and a per-class table whose support is the test set', async () => {
    const ui = studioPage(page);
    const models = modelsPage(page);
    await models.show('Train');
    await ui.configure({ trainLimit: 1000, testLimit: 200, epochs: 1, batchSize: 64 });
    await ui.start.click();
    await ui.waitForStatus('Finished', 120_000);

    await models.show('Evaluate');
    await page.getByRole('button', { name: 'Evaluate model' }).click();
    await page.getByRole('progressbar', { name: 'Evaluation progress' }).waitFor();
    const accuracy = page.getByTestId('evaluate-accuracy').locator('dd');
    await accuracy.waitFor({ timeout: 90_000 });
    expect(await page.getByTestId('evaluate-samples').locator('dd').textContent()).toContain(
      '10,000',
    );
    const rows = page.getByTestId('class-metrics-row');
    expect(await rows.count()).toBe(10);
    const supports = await rows.locator('td:last-child').allTextContents();
    expect(supports.reduce((sum, t) => sum + Number(t.replace(/,/g, '')), 0)).toBe(10_000);
    // Support of class k is the number of k's in the real test labels.
    let zeros = 0;
    for (let i = 0; i < mnist.count; i++) if (mnist.label(i) === 0) zeros++;
    expect(Number(supports[0]?.replace(/,/g, ''))).toBe(zeros);
  }, 240_000);

  it('shows an off-diagonal cell’s images with their true labels and predictions', async () => {
    const all = await cells(page);
    expect(all).toHaveLength(100);
    const wrong = all.filter((c) => c.actual !== c.predicted && c.count > 0);
    expect(wrong.length).toBeGreaterThan(0);
    // A small one, so every card can be checked.
    offDiagonal = wrong.sort((a, b) => a.count - b.count || a.actual - b.actual)[0] as CellInfo;
    await cellLocator(page, offDiagonal).click();

    const gallery = page.getByTestId('evaluate-gallery');
    await gallery
      .getByTestId('gallery-title')
      .filter({ hasText: `True ${offDiagonal.actual}, predicted ${offDiagonal.predicted}` })
      .waitFor();
    expect((await gallery.getByTestId('gallery-count').textContent())?.trim()).toBe(
      `${offDiagonal.count} image${offDiagonal.count === 1 ? '' : 's'}`,
    );
    const items = gallery.getByTestId('gallery-item');
    expect(await items.count()).toBe(offDiagonal.count);
    for (let i = 0; i < offDiagonal.count; i++) {
      const item = items.nth(i);
      const index = Number(await item.getAttribute('data-index'));
      expect(mnist.label(index)).toBe(offDiagonal.actual);
      expect((await item.getByTestId('gallery-true').textContent())?.trim()).toBe(
        String(offDiagonal.actual),
      );
      expect((await item.getByTestId('gallery-predicted').textContent())?.trim()).toBe(
        String(offDiagonal.predicted),
      );
      expect(await item.getAttribute('aria-label')).toMatch(
        new RegExp(
          `^Test image ${index}: true ${offDiagonal.actual}, predicted ${offDiagonal.predicted} \\(wrong\\); top 3: `,
        ),
      );
      // Its image arrived through datasetImages and was drawn.
      await item.locator('canvas[data-loaded="true"]').waitFor();
    }
    // The first card's pixels are that test image's (white ink on black, as on disk).
    const first = items.first();
    const index = Number(await first.getAttribute('data-index'));
    const drawn = await first.locator('canvas').evaluate((c) => {
      const data =
        (c as unknown as CanvasLike).getContext('2d')?.getImageData(0, 0, 28, 28).data ?? [];
      return Array.from({ length: 784 }, (_, i) => data[4 * i] as number);
    });
    expect(drawn).toEqual(Array.from(mnist.image(index)));
    expect(problems).toEqual([]);
  }, 60_000);

  it('keyboard: Tab reaches a cell, arrows move, Enter opens its gallery and an image', async () => {
    // Start from the Evaluate button, before the matrix in the Tab order.
    await page.getByRole('button', { name: 'Most confidently wrong' }).click();
    await page.getByTestId('gallery-title').filter({ hasText: 'Most confidently wrong' }).waitFor();
    await page.getByRole('button', { name: 'Evaluate model' }).focus();
    await tabTo(page, '[data-testid="confusion-cell"]');
    // The matrix is one Tab stop: the cell shown last (the off-diagonal one).
    const focus = page.locator(':focus');
    const focused = async () => ({
      actual: Number(await focus.getAttribute('data-actual')),
      predicted: Number(await focus.getAttribute('data-predicted')),
    });
    expect(await focused()).toEqual({
      actual: offDiagonal.actual,
      predicted: offDiagonal.predicted,
    });
    expect(await focus.getAttribute('aria-label')).toMatch(
      new RegExp(
        `^true ${offDiagonal.actual}, predicted ${offDiagonal.predicted}: ${offDiagonal.count} images?`,
      ),
    );
    // Arrows to the diagonal cell of the same row, then Enter.
    const key = offDiagonal.predicted < offDiagonal.actual ? 'ArrowRight' : 'ArrowLeft';
    for (let i = 0; i < Math.abs(offDiagonal.actual - offDiagonal.predicted); i++)
      await page.keyboard.press(key);
    expect(await focused()).toEqual({ actual: offDiagonal.actual, predicted: offDiagonal.actual });
    await page.keyboard.press('Enter');
    const title = `True ${offDiagonal.actual}, predicted ${offDiagonal.actual}`;
    await page.getByTestId('gallery-title').filter({ hasText: title }).waitFor();

    // On into the gallery (one Tab stop), End to its last image, Enter opens it.
    await tabTo(page, '[data-testid="gallery-item"]');
    const diagonalCount = (await cells(page)).find(
      (c) => c.actual === offDiagonal.actual && c.predicted === offDiagonal.actual,
    )?.count as number;
    await page.keyboard.press('End');
    await waitUntil(
      () => page.locator('[role="listitem"]:has(:focus)').getAttribute('aria-posinset'),
      (at) => at === String(diagonalCount),
      10_000,
      'the last image focused',
    );
    const lastIndex = Number(await page.locator(':focus').getAttribute('data-index'));
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: `Test image ${lastIndex}` }).waitFor();
    expect((await dialog.getByTestId('inspect-true').textContent())?.trim()).toBe(
      String(mnist.label(lastIndex)),
    );
    expect(
      await dialog.getByRole('list', { name: 'Top 3 probabilities' }).getByRole('listitem').count(),
    ).toBe(3);
    // Its feature maps: the panel's first answer painted.
    await waitUntil(
      async () =>
        Number(await dialog.getByTestId('feature-maps-panel').getAttribute('data-updates')),
      (n) => n >= 1,
      20_000,
      'the feature maps of the opened image',
    );
    expect(await dialog.getByTestId('feature-map').count()).toBeGreaterThan(6);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(problems).toEqual([]);
  }, 60_000);

  it('virtualises a diagonal cell of about a thousand images', async () => {
    const ones = (await cells(page)).find((c) => c.actual === 1 && c.predicted === 1) as CellInfo;
    expect(ones.count).toBeGreaterThan(500);
    await cellLocator(page, ones).click();
    await page.getByTestId('gallery-title').filter({ hasText: 'True 1, predicted 1' }).waitFor();
    const spacer = page.getByTestId('evaluate-gallery').getByRole('list');
    const rendered = Number(await spacer.getAttribute('data-rendered'));
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(ones.count / 5);
    expect(await page.getByTestId('gallery-item').count()).toBe(rendered);
    // Scrolled to its end, the last cards render and their images arrive.
    await page.getByTestId('gallery-viewport').evaluate((el) => (el.scrollTop = el.scrollHeight));
    const last = page.locator(`[role="listitem"][aria-posinset="${ones.count}"]`);
    await last.locator('canvas[data-loaded="true"]').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('gallery-item').count()).toBeLessThan(ones.count / 5);
    expect(problems).toEqual([]);
  }, 60_000);
});
