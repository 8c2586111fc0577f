// Runs tied to their data, and the learning-rate finder, in browser mode: the real server and
// engine, the built renderer and Debian's Chromium. A model trained on Fashion-MNIST (a copy of
// Debian's dataset-fashion-mnist in a temporary folder: /usr cannot be granted by typing) has
// its classes named in the Train view's per-epoch panel, makes the Evaluate form start on that
// folder, names Fashion's classes in the per-class table, and
// choosing the bundled MNIST digits instead brings a warning before and with the result; in
// Classify its classes name the cards, the CSV's name columns and the output layer's bars. The
// finder sweeps a throwaway model and its suggestion goes into the form.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { FASHION_CLASS_NAMES } from '../../src/shared/dataset-identity';
import { tempDir } from '../helpers/fixtures';
import { chromiumMissingReason } from './helpers/chromium';
import { drawClassifyPage, parseCsv } from './helpers/draw-classify-page';
import { modelsPage } from './helpers/models-page';
import { openStudio, type StudioSession } from './helpers/studio-session';
import { studioPage } from './helpers/studio-page';

const missing = chromiumMissingReason();
if (missing) console.warn(`[e2e] runs-and-data tests skipped: ${missing}`);

const FASHION_DIR = '/usr/share/datasets/fashion-mnist';
const FILES = [
  'train-images-idx3-ubyte.gz',
  'train-labels-idx1-ubyte.gz',
  't10k-images-idx3-ubyte.gz',
  't10k-labels-idx1-ubyte.gz',
];
const haveFashion = FILES.every((f) => existsSync(path.join(FASHION_DIR, f)));
if (!haveFashion) console.warn(`[e2e] Fashion-MNIST part skipped: no ${FASHION_DIR}`);

describe.skipIf(missing !== null)(
  'runs tied to their data, and the LR finder (browser mode)',
  () => {
    const runsDir = tempDir('lenet-e2e-data-runs-');
    const fashion = tempDir('lenet-e2e-fashion-');
    let studio: StudioSession;
    let page: Page;

    beforeAll(async () => {
      if (haveFashion)
        for (const f of FILES) copyFileSync(path.join(FASHION_DIR, f), path.join(fashion, f));
      studio = await openStudio({ runsDir, acceptDownloads: true });
      ({ page } = studio);
    });

    afterAll(async () => {
      await studio?.close();
      rmSync(runsDir, { recursive: true, force: true });
      rmSync(fashion, { recursive: true, force: true });
    });

    it('finds a learning rate on a throwaway model and puts it into the form', async () => {
      const ui = studioPage(page);
      await ui.configure({ trainLimit: 600 });
      const finder = page.getByTestId('lr-finder');
      await finder.getByRole('button', { name: 'Find learning rate' }).click();
      const suggestion = finder.getByTestId('lr-suggestion');
      await suggestion.waitFor({ timeout: 60_000 });
      const suggested = Number(await suggestion.locator('strong').getAttribute('data-value'));
      expect(suggested).toBeGreaterThanOrEqual(1e-5);
      expect(suggested).toBeLessThanOrEqual(1);
      expect(
        Number(await finder.locator('[data-points]').getAttribute('data-points')),
      ).toBeGreaterThan(10);
      // No model came of it: the header still says there is none.
      expect(await page.getByTestId('model-change').count()).toBe(0);

      await finder.getByRole('button', { name: 'Use this rate' }).click();
      const field = page.getByLabel('Learning rate', { exact: true });
      expect(Number(await field.inputValue())).toBe(Number(suggested.toPrecision(2)));
      await finder.getByRole('button', { name: 'In use' }).waitFor();
      expect(studio.problems).toEqual([]);
    }, 120_000);

    it.skipIf(!haveFashion)(
      'a Fashion-MNIST model: Evaluate starts on its folder, names its classes, and warns on the MNIST digits',
      async () => {
        const ui = studioPage(page);
        const models = modelsPage(page);
        await page.getByRole('radiogroup', { name: 'Dataset source' }).getByText('Folder').click();
        await page.getByLabel('Dataset folder', { exact: true }).fill(fashion);
        await ui.configure({ trainLimit: 600, testLimit: 200, epochs: 1, batchSize: 64 });
        await page.getByLabel('Learning rate', { exact: true }).fill('0.003');
        await ui.start.click();
        await ui.waitForStatus('Finished', 120_000);

        // The Train view's per-epoch panel names the run's classes, not digits.
        await page.getByText('Per-epoch validation detail and C1 filters').click();
        const confusion = page.getByTestId('train-confusion');
        await confusion.waitFor({ timeout: 10_000 });
        expect(await confusion.locator('thead th').allTextContents()).toEqual(
          ['', ...FASHION_CLASS_NAMES, 'Accuracy'].map((t) => expect.stringContaining(t)),
        );
        expect(
          (await confusion.locator('tbody th').allTextContents()).map((t) => t.trim()),
        ).toEqual([...FASHION_CLASS_NAMES]);
        await page.getByText(/Confusion after epoch 1 \(rows: true class\)/).waitFor();

        await models.show('Evaluate');
        // The form starts on the model's own data: no warning there.
        expect(await page.getByRole('textbox', { name: 'Dataset folder' }).inputValue()).toBe(
          fashion,
        );
        expect(await page.getByTestId('evaluate-model').textContent()).toContain(
          'trained on Fashion-MNIST',
        );
        expect(await page.getByTestId('evaluate-mismatch-before').count()).toBe(0);
        await page.getByLabel('Test subset', { exact: true }).fill('300');
        await page.getByRole('button', { name: 'Evaluate model' }).click();
        const accuracy = page.getByTestId('evaluate-accuracy').locator('dd');
        await accuracy.waitFor({ timeout: 90_000 });
        expect(await page.getByTestId('evaluate-mismatch').count()).toBe(0);
        const firstClass = page.getByTestId('class-metrics-row').first();
        expect(await firstClass.textContent()).toContain('T-shirt/top');

        // The bundled digits: said before evaluating, and again with the result.
        await page
          .getByRole('radiogroup', { name: 'Test set' })
          .getByText('Bundled MNIST test set')
          .click();
        const before = page.getByTestId('evaluate-mismatch-before');
        await before.waitFor();
        expect(await before.textContent()).toContain(
          'This model was trained on Fashion-MNIST; the bundled MNIST test set has other classes',
        );
        await page.getByRole('button', { name: 'Evaluate model' }).click();
        const warning = page.getByTestId('evaluate-mismatch');
        await warning.waitFor({ timeout: 90_000 });
        expect(await warning.textContent()).toContain('this accuracy means nothing');
        expect(studio.problems).toEqual([]);
      },
      240_000,
    );

    it.skipIf(!haveFashion)(
      "Classify with the Fashion-MNIST model: its class names in the cards, the CSV and the output layer's bars",
      async () => {
        // Fashion test images as PNGs in folders named after their class (7 Sneaker, 8 Bag).
        const images = gunzipSync(readFileSync(path.join(fashion, FILES[2]!))).subarray(16);
        const labels = gunzipSync(readFileSync(path.join(fashion, FILES[3]!))).subarray(8);
        const folder = path.join(tempDir('lenet-e2e-fashion-files-'), 'shop');
        const wanted = new Map([
          [7, 'Sneaker'],
          [8, 'Bag'],
        ]);
        let written = 0;
        for (let i = 0; i < labels.length && written < 6; i++) {
          const name = wanted.get(labels[i]!);
          if (!name) continue;
          mkdirSync(path.join(folder, name), { recursive: true });
          const pixels = images.subarray(i * 784, (i + 1) * 784);
          const item = tf.tensor3d(pixels, [28, 28, 1], 'int32');
          const png = await tf.node.encodePng(item);
          item.dispose();
          writeFileSync(path.join(folder, name, `item-${i}.png`), png);
          written++;
        }
        const ui = drawClassifyPage(page);
        await ui.tab('Classify').click();
        await ui.folderInput.setInputFiles(folder);
        await ui.waitForBatch();
        expect(await ui.results.count()).toBe(written);
        for (const card of await ui.results.all()) {
          const predicted = Number(await card.getAttribute('data-predicted'));
          const label = Number(await card.getAttribute('data-label'));
          const folderName = (await card.getAttribute('data-path'))!.split('/').at(-2);
          expect(FASHION_CLASS_NAMES[label]).toBe(folderName);
          expect(await card.getAttribute('aria-label')).toContain(
            `: ${FASHION_CLASS_NAMES[predicted]},`,
          );
        }

        const [download] = await Promise.all([page.waitForEvent('download'), ui.exportCsv.click()]);
        const records = parseCsv(readFileSync(await download.path(), 'utf8'));
        expect(records).toHaveLength(written);
        for (const r of records) {
          expect(r.predicted_name).toBe(FASHION_CLASS_NAMES[Number(r.predicted)]);
          expect(r.label_name).toBe(r.path!.split('/').at(-2));
        }

        // The picture opens the feature maps: the output's bars read as the classes.
        await ui.results
          .first()
          .getByRole('button', { name: /^Inspect / })
          .click();
        const dialog = page.getByRole('dialog');
        const barLabels = dialog.locator(
          '[data-testid="feature-layer"][data-layer="output"] [data-testid="bar-label"]',
        );
        await barLabels.first().waitFor({ timeout: 20_000 });
        expect(await barLabels.allTextContents()).toEqual([...FASHION_CLASS_NAMES]);
        await dialog.getByRole('button', { name: 'Close' }).click();
        await dialog.waitFor({ state: 'hidden' });
        expect(studio.problems).toEqual([]);
      },
      120_000,
    );
  },
);
