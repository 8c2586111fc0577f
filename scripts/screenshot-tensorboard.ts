// `npm run screenshots -- --tensorboard`: the README's screenshot of TensorBoard showing studio
// runs side by side. Trains two short runs with the CLI into a fresh runs folder (Adam and SGD,
// so their curves differ), starts TensorBoard (the venv of scripts/setup-tensorboard.mjs) on
// that folder on loopback, and photographs its Time Series page in Debian's Chromium.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { launchChromium } from '../test/e2e/helpers/chromium';
import { PROJECT_ROOT } from '../test/e2e/helpers/renderer-build';
import { tempDir } from '../test/helpers/fixtures';

const RUNS = [
  ['--optimizer', 'adam', '--lr', '0.003'],
  ['--optimizer', 'sgd', '--lr', '0.05'],
];

function trainRun(runsDir: string, extra: string[]): void {
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(PROJECT_ROOT, 'src/cli/index.ts'),
      'train',
      '--epochs',
      '4',
      '--train-limit',
      '12000',
      '--test-limit',
      '2000',
      '--runs-dir',
      runsDir,
      ...extra,
    ],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'inherit'], timeout: 600_000 },
  );
  if (result.status !== 0) throw new Error(`training run ${extra.join(' ')} failed`);
}

async function waitForHttp(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`tensorboard exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // Not listening yet: poll again.
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`tensorboard did not answer at ${url}`);
}

export async function screenshotTensorBoard(out: string, python: string): Promise<void> {
  const runsDir = tempDir('lenet-tensorboard-runs-');
  for (const extra of RUNS) {
    process.stderr.write(`[screenshots] training ${extra.join(' ')} for TensorBoard…\n`);
    trainRun(runsDir, extra);
  }
  const port = 16_006 + Math.floor(Math.random() * 1000);
  const tensorboard = spawn(
    python,
    ['-m', 'tensorboard.main', '--logdir', runsDir, '--host', '127.0.0.1', '--port', String(port)],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const browser = await launchChromium();
  try {
    const url = `http://127.0.0.1:${port}/`;
    await waitForHttp(url, tensorboard);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // The Scalars page draws its charts as SVG (the Time Series page needs WebGL, which
    // headless Chromium without a GPU may not give it).
    await page.goto(`${url}#scalars&_smoothingWeight=0.6`);
    await page.getByText('epoch/val_accuracy').first().waitFor({ timeout: 60_000 });
    // Each chart's lines are SVG paths; wait until the charts above the fold have theirs.
    const deadline = Date.now() + 60_000;
    while ((await page.locator('svg path').count()) < 40 && Date.now() < deadline) {
      await page.waitForTimeout(250);
    }
    // Let the charts' entry transition finish before the picture.
    await page.waitForTimeout(1000);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: out });
    process.stdout.write(`screenshot: ${out}\n`);
  } finally {
    await browser.close();
    tensorboard.kill();
  }
}
