// `npm run screenshots` (or `-- --set` alone): the README's screenshot set, each view at the
// smallest window the studio is built for (1024×700) and at a roomy one (1400×900), as
// resources/screenshots/<view>-<width>x<height>.png. One browser-mode studio with a fresh runs
// folder: two short runs on an MNIST subset (so the Models view compares two), a drawn digit,
// a labelled folder classified, the whole test set evaluated; then each view is photographed
// at both sizes (the views keep their content across tab switches and resizes).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { drawClassifyPage, encodeBmp, mnistTest } from '../test/e2e/helpers/draw-classify-page';
import { modelsPage, runIds } from '../test/e2e/helpers/models-page';
import { studioPage } from '../test/e2e/helpers/studio-page';
import { tempDir } from '../test/helpers/fixtures';
import { withStudioInBrowser } from './bench/studio-in-browser';

export const SET_SIZES = [
  { width: 1024, height: 700 },
  { width: 1400, height: 900 },
] as const;
export const SET_VIEWS = ['train', 'draw', 'classify', 'evaluate', 'models'] as const;
type View = (typeof SET_VIEWS)[number];

const LABELLED_IMAGES = 40;

async function show(page: Page, view: string): Promise<void> {
  const tab = page
    .getByRole('navigation', { name: 'Views' })
    .getByRole('button', { name: view, exact: true });
  await tab.click();
  await tab.and(page.locator('[aria-current="page"]')).waitFor();
}

/** Trains a short run from the Train view and waits for it to end. */
async function train(page: Page, runsDir: string, learningRate: string): Promise<void> {
  const ui = studioPage(page);
  await show(page, 'Train');
  await ui.configure({ trainLimit: 12_000, testLimit: 2_000, epochs: 3, batchSize: 64 });
  await page.getByLabel('Learning rate', { exact: true }).fill(learningRate);
  await ui.start.click();
  await ui.waitForStatus('Finished', 300_000);
  // Once the header names this run's model, the finished notice has come too, and goes, for
  // clean pictures.
  const runId = runIds(runsDir)[0] ?? '';
  await show(page, 'Draw');
  await page.locator(`[data-testid="header-model"][title*="${runId}"]`).waitFor();
  const notice = page.getByTestId('model-change');
  if (await notice.isVisible()) {
    await notice.getByRole('button', { name: 'Dismiss message' }).click();
  }
}

/** Gives every view its content: runs, a drawing, classified files, an evaluation. */
async function prepare(page: Page, runsDir: string): Promise<void> {
  await train(page, runsDir, '0.01');
  await train(page, runsDir, '0.003');

  const draw = drawClassifyPage(page);
  await show(page, 'Draw');
  await draw.drawZero();
  await draw.waitForStrokes(1);

  // Class-named folders label their files: the results show accuracy and a confusion matrix.
  const mnist = mnistTest();
  const folder = path.join(tempDir('lenet-screenshot-files-'), 'test-digits');
  for (let i = 0; i < LABELLED_IMAGES; i++) {
    const dir = path.join(folder, String(mnist.label(i)));
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `test-${i}.bmp`), encodeBmp(mnist.image(i), 28, 28));
  }
  await show(page, 'Classify');
  await draw.folderInput.setInputFiles(folder);
  await draw.waitForBatch();
  await page.getByRole('button', { name: 'Dismiss message' }).click();

  await show(page, 'Evaluate');
  await page.getByRole('button', { name: 'Evaluate model' }).click();
  await page.getByTestId('evaluate-accuracy').locator('dd').waitFor({ timeout: 120_000 });

  const models = modelsPage(page);
  await show(page, 'Models');
  for (const id of runIds(runsDir)) {
    await models.waitForStatus(id, 'Completed');
    await models.compare(id);
  }
  await page.getByRole('list', { name: 'Compared runs' }).waitFor();
}

const TAB_NAMES: Record<View, string> = {
  train: 'Train',
  draw: 'Draw',
  classify: 'Classify',
  evaluate: 'Evaluate',
  models: 'Models',
};

/** Takes the set into `outDir`; returns the files written. */
export async function screenshotSet(outDir: string, dark: boolean): Promise<string[]> {
  const runsDir = tempDir('lenet-screenshot-runs-');
  const written: string[] = [];
  mkdirSync(outDir, { recursive: true });
  await withStudioInBrowser(
    async (browser, url) => {
      const first = SET_SIZES[0];
      const page = await browser.newPage({
        viewport: { width: first.width, height: first.height },
        deviceScaleFactor: 1,
        colorScheme: dark ? 'dark' : 'light',
      });
      await page.goto(url);
      await studioPage(page).status.filter({ hasText: 'Ready' }).waitFor();
      await page.getByText(/TensorFlow \d/).waitFor();
      await prepare(page, runsDir);
      for (const view of SET_VIEWS) {
        await show(page, TAB_NAMES[view]);
        for (const size of SET_SIZES) {
          await page.setViewportSize(size);
          await page.evaluate('window.scrollTo(0, 0)');
          // Off the controls (no hover state), and after the charts have redrawn at the new size.
          await page.mouse.move(0, 0);
          await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => resolve()))');
          const file = path.join(outDir, `${view}-${size.width}x${size.height}.png`);
          await page.screenshot({ path: file });
          written.push(file);
        }
      }
    },
    { runsDir },
  );
  return written;
}
