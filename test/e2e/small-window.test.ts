// Every view in a small window (1024×700), in browser mode with the real server and engine and
// a tiny trained model, so every view has its full content: nothing visible is cut off (each
// control, table cell and chart inside the viewport's width, or inside a scroll area that
// reaches it), the run buttons keep their row when the run's summary line appears, the Models
// table needs no sideways scroll (row actions in a menu), and the confusion matrix keeps its
// headers in sight while it scrolls inside its card.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { tempDir } from '../helpers/fixtures';
import { chromiumMissingReason } from './helpers/chromium';
import { cutOffElements, textInsidePlot } from './helpers/cut-off';
import { drawClassifyPage, encodeBmp, mnistTest } from './helpers/draw-classify-page';
import { modelsPage, runIds } from './helpers/models-page';
import { openStudio, type StudioSession } from './helpers/studio-session';
import { studioPage } from './helpers/studio-page';

const missing = chromiumMissingReason();
if (missing) console.warn(`[e2e] small-window tests skipped: ${missing}`);

const SMALL = { width: 1024, height: 700 };

type Box = { x: number; y: number; width: number; height: number };

async function box(locator: Locator): Promise<Box> {
  const found = await locator.boundingBox();
  if (!found) throw new Error('element not visible');
  return found;
}

/** Whether `inner` lies inside `outer` (1 px of rounding allowed). */
function inside(inner: Box, outer: Box): boolean {
  return (
    inner.x >= outer.x - 1 &&
    inner.y >= outer.y - 1 &&
    inner.x + inner.width <= outer.x + outer.width + 1 &&
    inner.y + inner.height <= outer.y + outer.height + 1
  );
}

describe.skipIf(missing !== null)('a 1024×700 window (browser mode)', () => {
  const runsDir = tempDir('lenet-e2e-small-runs-');
  const filesDir = tempDir('lenet-e2e-small-files-');
  let studio: StudioSession;
  let page: Page;

  beforeAll(async () => {
    studio = await openStudio({ runsDir, viewport: SMALL });
    ({ page } = studio);
  });

  afterAll(async () => {
    await studio?.close();
    rmSync(runsDir, { recursive: true, force: true });
    rmSync(filesDir, { recursive: true, force: true });
  });

  const tab = (name: string): Locator =>
    page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name, exact: true });

  async function show(view: string): Promise<void> {
    await tab(view).click();
    await tab(view).and(page.locator('[aria-current="page"]')).waitFor();
  }

  async function expectNothingCutOff(): Promise<void> {
    expect(await cutOffElements(page)).toEqual([]);
  }

  const runButtons = (): Locator[] => {
    const ui = studioPage(page);
    return [ui.start, ui.pause, ui.stop];
  };

  /** The run buttons' tops, from the top of the run card (a notice above may move the card). */
  async function runButtonTops(): Promise<number[]> {
    const card = await box(page.getByRole('region', { name: 'Run', exact: true }));
    const buttons = await Promise.all(runButtons().map(box));
    return buttons.map((b) => Math.round(b.y - card.y));
  }

  let idleTops: number[] = [];

  it('Train, idle: nothing cut off; an empty chart says so inside its plot, off the axes', async () => {
    await show('Train');
    idleTops = await runButtonTops();
    await expectNothingCutOff();
    // The settings scroll on their own in a short window, and say there is more below.
    const settings = page.locator('aside.settings');
    const hint = page.getByTestId('more-settings');
    expect(await settings.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
    await hint.waitFor();
    await settings.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await hint.waitFor({ state: 'hidden' });
    await settings.evaluate((el) => el.scrollTo(0, 0));
    await hint.waitFor();
    // The placeholder of each empty chart sits inside the chart's plot area (chart.js's own
    // chartArea, which excludes the axes' labels), wrapped to fit.
    const empties = page.locator('.chart-empty');
    expect(await empties.count()).toBeGreaterThan(0);
    for (const empty of await empties.all()) {
      const where = await textInsidePlot(empty);
      expect(where.inside, `text at ${where.text}, plot at ${where.area}`).toBe(true);
    }
  });

  it('Train, after a run: the run buttons stay on their one row beside the summary line', async () => {
    const ui = studioPage(page);
    await ui.configure({ trainLimit: 300, testLimit: 200, epochs: 1, batchSize: 32 });
    await ui.start.click();
    await ui.waitForStatus('Finished', 120_000);
    await page.getByText(/\d+ train · \d+ validation · \d+ test/).waitFor();
    const tops = await runButtonTops();
    expect(new Set(tops).size, `one row: ${tops.join(', ')}`).toBe(1);
    expect(tops).toEqual(idleTops);
    await expectNothingCutOff();
  }, 150_000);

  it('Draw, with a drawing and its prediction: nothing cut off', async () => {
    const ui = drawClassifyPage(page);
    await show('Draw');
    await ui.drawOne();
    await ui.waitForStrokes(1);
    await expectNothingCutOff();
  });

  it('Classify, with results and a labelled batch: nothing cut off', async () => {
    const ui = drawClassifyPage(page);
    const mnist = mnistTest();
    const folder = path.join(filesDir, 'digits');
    for (let i = 0; i < 20; i++) {
      const label = mnist.label(i);
      mkdirSync(path.join(folder, String(label)), { recursive: true });
      writeFileSync(
        path.join(folder, String(label), `${i}.bmp`),
        encodeBmp(mnist.image(i), 28, 28),
      );
    }
    await show('Classify');
    await ui.folderInput.setInputFiles(folder);
    await ui.waitForBatch();
    expect(await ui.results.count()).toBe(20);
    await page.getByText('Confusion matrix of this batch').click();
    await page.getByTestId('classify-confusion').waitFor();
    await expectNothingCutOff();
  });

  it('Evaluate, with a confusion matrix: nothing cut off; the matrix keeps its headers as it scrolls', async () => {
    await show('Evaluate');
    await page.getByLabel('Test subset').fill('300');
    await page.getByRole('button', { name: 'Evaluate model' }).click();
    await page.getByTestId('evaluate-accuracy').locator('dd').waitFor({ timeout: 90_000 });
    const matrix = page.getByTestId('confusion-matrix');
    await matrix.waitFor();
    await expectNothingCutOff();

    // Wherever the matrix is scrolled to inside its card, the class headers stay in sight.
    const scroller = matrix.locator('xpath=..');
    await scroller.evaluate((el) => el.scrollTo(el.scrollWidth, el.scrollHeight));
    const area = await box(scroller);
    const headers = [
      matrix.locator('thead th').first(),
      matrix.locator('thead th').last(),
      matrix.locator('tbody th').first(),
    ];
    for (const header of headers) expect(inside(await box(header), area)).toBe(true);
    const lastCell = matrix.locator('[data-actual="9"][data-predicted="9"]');
    expect(inside(await box(lastCell), area)).toBe(true);
  }, 120_000);

  it('Models, with rows: nothing cut off, no sideways scroll; the row actions are a keyboard menu', async () => {
    const models = modelsPage(page);
    const runId = runIds(runsDir)[0] ?? '';
    expect(runId).not.toBe('');
    await show('Models');
    await models.waitForStatus(runId, 'Completed');
    await expectNothingCutOff();
    const wrap = page.locator('.table-wrap');
    expect(await wrap.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);

    const menuButton = models.menuButton(runId);
    await menuButton.focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu');
    await menu.waitFor();
    await expectNothingCutOff();
    const items = menu.getByRole('menuitem');
    expect(await items.allTextContents()).toEqual(['Open', 'Resume', 'Export', 'Delete']);
    const focusedItem = async (): Promise<string> =>
      ((await page.locator(':focus').textContent()) ?? '').trim();
    expect(await focusedItem()).toBe('Open');
    await page.keyboard.press('ArrowDown');
    expect(await focusedItem()).toBe('Resume');
    await page.keyboard.press('End');
    expect(await focusedItem()).toBe('Delete');
    await page.keyboard.press('ArrowDown');
    expect(await focusedItem()).toBe('Open');
    await page.keyboard.press('ArrowUp');
    expect(await focusedItem()).toBe('Delete');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    expect(await menuButton.evaluate((el) => el.matches(':focus'))).toBe(true);
  });

  it('Models, comparing runs: nothing cut off', async () => {
    const ui = studioPage(page);
    const models = modelsPage(page);
    await show('Train');
    await ui.start.click();
    await ui.waitForStatus('Finished', 120_000);
    await show('Models');
    const [second, first] = runIds(runsDir);
    await models.waitForStatus(second ?? '', 'Completed');
    await models.compare(first ?? '');
    await models.compare(second ?? '');
    await page.getByRole('list', { name: 'Compared runs' }).waitFor();
    await expectNothingCutOff();
  }, 150_000);

  it('Dataset, shown: nothing cut off', async () => {
    await show('Dataset');
    await page.getByRole('button', { name: 'Show dataset' }).click();
    await page.getByTestId('dataset-class').first().waitFor({ timeout: 60_000 });
    await page
      .getByRole('img', { name: /^Class 9, train image \d+$/ })
      .first()
      .waitFor();
    await expectNothingCutOff();
  });

  it('shows no console errors', () => {
    expect(studio.problems).toEqual([]);
  });
});
