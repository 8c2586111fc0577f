// Browser-mode studio for the benchmarks (and the screenshots): a server on loopback with a
// real engine and a fresh runs folder (or the one given), and Debian's Chromium, both closed
// when `use` is done.
import type { Browser } from 'playwright-core';
import { startServer } from '../../src/server/server';
import { launchChromium } from '../../test/e2e/helpers/chromium';
import { ensureRendererBuilt, RENDERER_OUT } from '../../test/e2e/helpers/renderer-build';
import { tempDir } from '../../test/helpers/fixtures';

export async function withStudioInBrowser<T>(
  use: (browser: Browser, url: string) => Promise<T>,
  options: { runsDir?: string } = {},
): Promise<T> {
  ensureRendererBuilt();
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    staticDir: RENDERER_OUT,
    runsDir: options.runsDir ?? tempDir('lenet-bench-runs-'),
  });
  const browser = await launchChromium();
  try {
    return await use(browser, server.url);
  } finally {
    await browser.close();
    await server.close();
  }
}
