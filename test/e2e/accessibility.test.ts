// An accessibility scan of every view with axe-core in Chromium (browser mode, real server and
// engine): no serious or critical violation, in the light and the dark theme, with and
// without a model, with a run's actions menu open, and with the shortcuts dialog open.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumMissingReason } from './helpers/chromium';
import { openStudio, type StudioSession } from './helpers/studio-session';
import { studioPage } from './helpers/studio-page';

const missing = chromiumMissingReason();
if (missing) console.warn(`[e2e] accessibility scan skipped: ${missing}`);

const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);
const VIEWS = ['Dataset', 'Train', 'Draw', 'Classify', 'Evaluate', 'Models'] as const;

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** axe's serious and critical findings on the page as it is now. */
async function scan(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) {
    // Evaluated through the DevTools protocol: the studio's CSP rightly refuses a script tag.
    await page.evaluate(AXE_SOURCE);
  }
  return (await page.evaluate(`(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help,
        targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  })()`)) as Violation[];
}

describe.skipIf(missing !== null)('accessibility (axe-core, browser mode)', () => {
  let studio: StudioSession;
  let page: Page;

  beforeAll(async () => {
    studio = await openStudio({ viewport: { width: 1280, height: 860 } });
    ({ page } = studio);
  }, 120_000);

  afterAll(async () => {
    await studio?.close();
  });

  async function scanEveryView(when: string): Promise<Record<string, Violation[]>> {
    const found: Record<string, Violation[]> = {};
    for (const view of VIEWS) {
      // The view tabs (the finished run's notice offers Draw and Evaluate buttons too).
      await page
        .getByRole('navigation', { name: 'Views' })
        .getByRole('button', { name: view, exact: true })
        .click();
      await page.locator('main').waitFor();
      const violations = await scan(page);
      if (violations.length > 0) found[`${when}: ${view}`] = violations;
    }
    return found;
  }

  it('finds nothing serious in any view, before and after a model exists', async () => {
    const before = await scanEveryView('no model');
    const ui = studioPage(page);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await ui.configure({ trainLimit: 600, testLimit: 200, epochs: 1, batchSize: 32 });
    await ui.start.click();
    await ui.waitForStatus('Finished', 120_000);
    const after = await scanEveryView('with a model');
    // The Models view (the last scanned) with a run's actions menu open.
    await page
      .getByRole('button', { name: /^Actions for / })
      .first()
      .click();
    await page.getByRole('menu').waitFor();
    const menu = await scan(page);
    await page.keyboard.press('Escape');
    expect({ ...before, ...after, ...(menu.length > 0 ? { menu } : {}) }).toEqual({});
  }, 240_000);

  it('finds nothing serious in the dark theme, or with the shortcuts dialog open', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await scanEveryView('dark');
    await page.keyboard.press('Shift+Slash');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    const dialog = await scan(page);
    await page.keyboard.press('Escape');
    expect({ ...dark, ...(dialog.length > 0 ? { dialog } : {}) }).toEqual({});
  }, 120_000);
});
