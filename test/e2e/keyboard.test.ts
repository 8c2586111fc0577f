// The studio by keyboard alone, in browser mode (real server, engine and Chromium): the skip
// links are the page's first Tab stops, the run controls keep the focus as a run starts, pauses
// and resumes, Space pauses and resumes from anywhere outside a field, and "?" opens the
// shortcuts, a dialog that keeps the focus inside and gives it back when it closes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumMissingReason } from './helpers/chromium';
import { openStudio, type StudioSession } from './helpers/studio-session';
import { studioPage } from './helpers/studio-page';

const missing = chromiumMissingReason();
if (missing) console.warn(`[e2e] keyboard tests skipped: ${missing}`);

// Run in the page (the test's tsconfig has no DOM types, so these travel as source text).
const FOCUSED_TEXT = `(() => {
  const el = document.activeElement;
  return ((el && (el.getAttribute('aria-label') ?? el.textContent)) || '').trim();
})()`;
const BLUR = '(() => { document.activeElement && document.activeElement.blur(); })()';

/** The focused element's visible text (or its label). */
function focused(page: Page): Promise<string> {
  return page.evaluate(FOCUSED_TEXT) as Promise<string>;
}

describe.skipIf(missing !== null)('keyboard only (browser mode)', () => {
  let studio: StudioSession;
  let page: Page;

  beforeAll(async () => {
    studio = await openStudio({ viewport: { width: 1280, height: 860 } });
    ({ page } = studio);
  }, 120_000);

  afterAll(async () => {
    await studio?.close();
  });

  it('skip link to the run controls, then start, pause and resume without losing the focus', async () => {
    const ui = studioPage(page);
    // A fresh page: its first two Tab stops are the skip links.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Skip to the content');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Skip to the run controls');
    // Long enough to pause and resume in the middle, and stopped at the end.
    await ui.configure({ trainLimit: 3000, testLimit: 500, epochs: 30, batchSize: 32 });
    await page.getByRole('link', { name: 'Skip to the run controls' }).focus();
    await page.keyboard.press('Enter');
    expect(await focused(page)).toBe('Start training');

    await page.keyboard.press('Enter');
    await ui.waitForStatus('Training');
    // Start disabled itself: the focus moved on to the control that makes sense now.
    expect(await focused(page)).toBe('Pause training');

    await page.keyboard.press('Space');
    await ui.waitForStatus('Paused');
    expect(await focused(page)).toBe('Resume training');

    // From anywhere outside a field, Space resumes (and pauses) the run.
    await page.evaluate(BLUR);
    await page.keyboard.press('Space');
    await ui.waitForStatus('Training');
    await page.keyboard.press('Space');
    await ui.waitForStatus('Paused');

    await ui.stop.focus();
    await page.keyboard.press('Enter');
    await ui.waitForStatus('Stopped');
    expect(await focused(page)).toBe('Start training');
  }, 120_000);

  it('"?" opens the shortcuts: Tab stays inside, Escape closes and returns the focus', async () => {
    await page.evaluate(BLUR);
    await page.keyboard.press('Shift+Slash');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    expect(await dialog.getByTestId('shortcuts').getByText('Space').count()).toBe(1);
    expect(await focused(page)).toBe('Close');
    // The dialog has one control: Tab and Shift+Tab come back to it.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Close');
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('Close');

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // Opened from the header's button, closing gives the focus back to that button.
    await page.getByRole('button', { name: 'Keyboard shortcuts' }).focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await focused(page)).toBe('Keyboard shortcuts');
    expect(studio.problems).toEqual([]);
  }, 60_000);
});
