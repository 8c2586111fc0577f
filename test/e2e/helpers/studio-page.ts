// What the browser tests (and the screenshot script) read from and do on the Train view,
// through accessible names wherever the UI has them.
import type { Locator, Page } from 'playwright-core';

export interface RunSettings {
  trainLimit?: number;
  testLimit?: number;
  epochs?: number;
  batchSize?: number;
}

export function studioPage(page: Page) {
  const button = (name: string): Locator => page.getByRole('button', { name, exact: true });
  const progressbar = page.getByRole('progressbar', { name: 'Training progress' });
  const chart = (name: RegExp): Locator =>
    page.locator('figure', { has: page.getByRole('img', { name }) });

  return {
    start: button('Start training'),
    pause: button('Pause training'),
    resume: button('Resume training'),
    stop: button('Stop training'),
    status: page.getByTestId('run-status'),
    lossChart: chart(/training loss/),
    accuracyChart: chart(/training and validation accuracy/),
    testAccuracy: page.getByTestId('test-accuracy').locator('.value'),

    async configure(settings: RunSettings): Promise<void> {
      const fields: Array<[string, number | undefined]> = [
        ['Training subset', settings.trainLimit],
        ['Test subset', settings.testLimit],
        ['Epochs', settings.epochs],
        ['Batch size', settings.batchSize],
      ];
      for (const [label, value] of fields) {
        if (value !== undefined) await page.getByLabel(label, { exact: true }).fill(String(value));
      }
    },

    /** Progress of the whole run in percent, as the progress bar reports it. */
    async progress(): Promise<number> {
      return Number(await progressbar.getAttribute('aria-valuenow'));
    },

    async chartPoints(target: Locator): Promise<number> {
      return Number(await target.getAttribute('data-points'));
    },

    /** Waits until the run status reads `text`. */
    async waitForStatus(text: string, timeout = 60_000): Promise<void> {
      await page.getByTestId('run-status').filter({ hasText: text }).waitFor({ timeout });
    },
  };
}

/** Polls `read` until `accept` holds; returns the accepted value. */
export async function waitUntil<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeout = 60_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: T = await read();
  while (!accept(last)) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what} (last value: ${String(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await read();
  }
  return last;
}
