// `npm run screenshots`: takes the README's screenshots in browser mode (Debian's Chromium, a
// server on loopback with a fresh runs folder, so no run lands in the user's own history): the
// Train view mid-training on full MNIST (waiting until a few epochs are done, so every chart has
// something to show), then the set of views at 1024×700 and 1400×900 (screenshot-set.ts).
//   npm run screenshots                              (both)
//   npm run screenshots -- --set [--dark]            (the set only)
//   npm run screenshots -- out.png [--dark]          (the Train view only, to out.png)
//   npm run screenshots -- --tensorboard [out.png]   (TensorBoard showing two studio runs)
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { chromiumMissingReason } from '../test/e2e/helpers/chromium';
import { PROJECT_ROOT } from '../test/e2e/helpers/renderer-build';
import { studioPage, waitUntil } from '../test/e2e/helpers/studio-page';
import { withStudioInBrowser } from './bench/studio-in-browser';
import { screenshotSet } from './screenshot-set';
import { screenshotTensorBoard } from './screenshot-tensorboard';

const SCREENSHOTS_DIR = path.join(PROJECT_ROOT, 'resources/screenshots');

const EPOCHS = 5;
/** Screenshot once this share of the run is done (3 of 5 epochs and a bit). */
const AT_PERCENT = 68;

async function main(args: string[]): Promise<number> {
  if (args.includes('--tensorboard')) return tensorBoard(args);
  const dark = args.includes('--dark');
  const target = args.find((a) => !a.startsWith('--'));
  const missing = chromiumMissingReason();
  if (missing) {
    process.stderr.write(`cannot take the screenshots: ${missing}\n`);
    return 1;
  }
  if (!args.includes('--set')) {
    await trainViewMidRun(
      path.resolve(target ?? path.join(SCREENSHOTS_DIR, 'train-view.png')),
      dark,
    );
  }
  // A named file asks for that one screenshot only.
  if (target === undefined) {
    for (const file of await screenshotSet(SCREENSHOTS_DIR, dark)) {
      process.stdout.write(`screenshot: ${file}\n`);
    }
  }
  return 0;
}

/** The Train view mid-training on full MNIST, the README's first picture. */
async function trainViewMidRun(out: string, dark: boolean): Promise<void> {
  await withStudioInBrowser(async (browser, url) => {
    const page = await browser.newPage({
      viewport: { width: 1440, height: 960 },
      deviceScaleFactor: 1,
      colorScheme: dark ? 'dark' : 'light',
    });
    await page.goto(url);
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
    process.stdout.write(`screenshot: ${out}\n`);
    await ui.stop.click();
    await ui.waitForStatus('Stopped');
  });
}

async function tensorBoard(args: string[]): Promise<number> {
  const out = path.resolve(
    args.find((a) => !a.startsWith('--')) ??
      path.join(PROJECT_ROOT, 'resources/screenshots/tensorboard.png'),
  );
  const missing = chromiumMissingReason();
  // The setup script prints the venv's python on stdout (provisioning it the first time).
  const setup = missing
    ? null
    : spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'scripts/setup-tensorboard.mjs')], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      });
  const python = setup?.status === 0 ? setup.stdout.trim() : undefined;
  if (missing || !python) {
    process.stderr.write(`cannot take the screenshot: ${missing ?? 'no TensorBoard venv'}\n`);
    return 1;
  }
  await screenshotTensorBoard(out, python);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`screenshots failed: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
