// Takes the README's screenshot: the Train view mid-training on full MNIST, in browser mode.
//   npx tsx test/e2e/helpers/take-screenshot.ts [out.png] [--dark]
// Waits until a few epochs are done, so every chart has something to show.
import path from 'node:path';
import { startServer } from '../../../src/server/index';
import { chromiumMissingReason, launchChromium } from './chromium';
import { PROJECT_ROOT, RENDERER_OUT, ensureRendererBuilt } from './renderer-build';
import { studioPage, waitUntil } from './studio-page';

const args = process.argv.slice(2);
const dark = args.includes('--dark');
const out = path.resolve(
  args.find((a) => !a.startsWith('--')) ??
    path.join(PROJECT_ROOT, 'resources/screenshots/train-view.png'),
);
const EPOCHS = 5;
/** Screenshot once this share of the run is done (3 of 5 epochs and a bit). */
const AT_PERCENT = 68;

const missing = chromiumMissingReason();
if (missing) {
  console.error(`cannot take the screenshot: ${missing}`);
  process.exit(1);
}

ensureRendererBuilt();
const server = await startServer({ staticDir: RENDERER_OUT });
const browser = await launchChromium();
try {
  const page = await browser.newPage({
    viewport: { width: 1440, height: 960 },
    deviceScaleFactor: 1,
    colorScheme: dark ? 'dark' : 'light',
  });
  await page.goto(server.url);
  const ui = studioPage(page);
  await ui.status.filter({ hasText: 'Ready' }).waitFor();
  await page.getByText(/TensorFlow \d/).waitFor();
  await ui.configure({ epochs: EPOCHS });
  await ui.start.click();
  await waitUntil(
    () => ui.progress(),
    (p) => p >= AT_PERCENT,
    300_000,
    `${AT_PERCENT}% progress`,
  );
  // Move the pointer off the controls so no hover state shows.
  await page.mouse.move(0, 0);
  await page.screenshot({ path: out });
  console.log(`screenshot: ${out}`);
  await ui.stop.click();
  await ui.waitForStatus('Stopped');
} finally {
  await browser.close();
  await server.close();
}
