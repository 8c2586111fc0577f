// `npm run bench` part 2: the Train view in browser mode while a full-MNIST epoch trains —
// the longest gap between animation frames and the progress events per second that reach it.
import {
  measureResponsiveness,
  type ResponsivenessReport,
} from '../../test/e2e/helpers/responsiveness';
import { chromiumMissingReason, launchChromium } from '../../test/e2e/helpers/chromium';
import { ensureRendererBuilt, RENDERER_OUT } from '../../test/e2e/helpers/renderer-build';
import { startServer } from '../../src/server/server';
import { tempDir } from '../../test/helpers/fixtures';

export async function benchResponsiveness(): Promise<ResponsivenessReport | { skipped: string }> {
  const missing = chromiumMissingReason();
  if (missing) return { skipped: missing };
  ensureRendererBuilt();
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    staticDir: RENDERER_OUT,
    runsDir: tempDir('lenet-bench-runs-'),
  });
  const browser = await launchChromium();
  try {
    return await measureResponsiveness(browser, server.url, { epochs: 1 });
  } finally {
    await browser.close();
    await server.close();
  }
}
