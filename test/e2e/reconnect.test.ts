// A browser-mode tab outlives its server: `npm run serve` started again keeps the port and the
// token (saved in the user's config folder), so the open tab reconnects by itself.
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { startBrowserMode, type RunningServer } from '../../src/server/index';
import { tempDir } from '../helpers/fixtures';
import { chromiumMissingReason, launchChromium } from './helpers/chromium';
import { RENDERER_OUT, ensureRendererBuilt } from './helpers/renderer-build';
import { studioPage } from './helpers/studio-page';

const missing = chromiumMissingReason();

describe.skipIf(missing !== null)('browser mode across a server restart', () => {
  let browser: Browser | undefined;
  let server: RunningServer | undefined;
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('an open tab reconnects to the restarted server, same address and token', async () => {
    ensureRendererBuilt();
    const root = tempDir();
    const options = {
      host: '127.0.0.1',
      staticDir: RENDERER_OUT,
      runsDir: path.join(root, 'runs'),
      sessionFile: path.join(root, 'config', 'browser-session.json'),
      warn: (message: string) => {
        throw new Error(`unexpected warning: ${message}`);
      },
    };
    server = await startBrowserMode(options);
    const firstUrl = server.url;
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(firstUrl);
    await studioPage(page).status.filter({ hasText: 'Ready' }).waitFor();

    await server.close();
    // The header says so at once (not a green dot), and the banner says what happened.
    const status = page.getByTestId('engine-status');
    await status.and(page.locator('[data-connection="reconnecting"]')).waitFor();
    expect(await status.textContent()).toContain('Reconnecting…');
    const lost = page.getByTestId('connection-banner');
    await lost.getByText(/Connection to the LeNet Studio server lost; reconnecting/).waitFor();
    // Every attempt fails while no server runs: after the last back-off step, "lost".
    await status.and(page.locator('[data-connection="lost"]')).waitFor({ timeout: 30_000 });
    await lost.getByText(/Cannot reach the LeNet Studio server; still trying/).waitFor();

    server = await startBrowserMode(options);
    expect(server.url).toBe(firstUrl);
    // Back: the banner goes and the engine answers again (its label needs getInfo).
    await lost.waitFor({ state: 'detached', timeout: 60_000 });
    await page.getByText(/TensorFlow \d+\.\d+/).waitFor();
    expect(await status.getAttribute('data-connection')).toBe('open');
    await studioPage(page).status.filter({ hasText: 'Ready' }).waitFor();
  }, 120_000);
});
