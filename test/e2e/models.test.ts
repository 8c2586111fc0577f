// The Models and Evaluate views end to end, in browser mode: the real server and engine
// (tfjs-node), the built renderer, Debian's Chromium, and a temporary runs folder that the test
// also reads directly, to check that what the UI shows is what is on disk. Covers the issue's
// "Done when": train, close the app mid-run, reopen, resume, export — plus rename, delete,
// a damaged run, comparing runs, loading a model and the evaluation.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { tempDir } from '../helpers/fixtures';
import { chromiumMissingReason } from './helpers/chromium';
import { openStudio, type StudioSession } from './helpers/studio-session';
import { confusionSum, modelsPage, readRun, runIds } from './helpers/models-page';
import { studioPage, waitUntil } from './helpers/studio-page';

const missing = chromiumMissingReason();
if (missing) console.warn(`[e2e] Models view tests skipped: ${missing}`);

/** Set to a .png path to save a screenshot of the Models view with runs compared. */
const SCREENSHOT = process.env.MODELS_SCREENSHOT;

describe.skipIf(missing !== null)('Models and Evaluate views (browser mode)', () => {
  const runsDir = tempDir('lenet-e2e-runs-');
  const exportsDir = tempDir('lenet-e2e-exports-');
  let studio: StudioSession;
  let page: Page;
  /** Console errors and page errors; a clean run has none (except while the server is down). */
  let problems: string[] = [];

  /** Run ids by role, filled in as the tests create them. */
  const runs = { completed: '', stopped: '', resumed: '' };

  async function newestRun(exclude: string[]): Promise<string> {
    return waitUntil(
      async () => runIds(runsDir).find((id) => !exclude.includes(id)) ?? '',
      (id) => id !== '',
      60_000,
      'a new run folder',
    );
  }

  beforeAll(async () => {
    studio = await openStudio({ runsDir });
    ({ page } = studio);
    problems = studio.problems;
  });

  afterAll(async () => {
    await studio?.close();
    rmSync(runsDir, { recursive: true, force: true });
    rmSync(exportsDir, { recursive: true, force: true });
  });

  it('lists a finished run as completed, with its numbers, as the current model', async () => {
    const ui = studioPage(page);
    const models = modelsPage(page);
    await models.show('Models');
    await page.getByText(/No runs yet/).waitFor();

    await models.show('Train');
    await ui.configure({ trainLimit: 2000, testLimit: 1000, epochs: 2, batchSize: 64 });
    await ui.start.click();
    await ui.waitForStatus('Finished', 120_000);
    const trainViewAccuracy = (await ui.testAccuracy.textContent())?.trim();
    runs.completed = runIds(runsDir)[0] ?? '';
    expect(runs.completed).not.toBe('');

    await models.show('Models');
    await models.waitForStatus(runs.completed, 'Completed');
    const row = models.row(runs.completed);
    expect(await row.textContent()).toContain('2 / 2');
    expect((await row.getByTestId('run-test-accuracy').textContent())?.trim()).toBe(
      trainViewAccuracy,
    );
    await row.getByTestId('current-badge').waitFor();
    expect(await models.actionEnabled(runs.completed, 'Resume')).toBe(false);
    expect(await models.actionEnabled(runs.completed, 'Open')).toBe(true);
    expect(await models.currentModel.textContent()).toMatch(/lenet5/);
  }, 180_000);

  it('renames a run inline, on disk too', async () => {
    const models = modelsPage(page);
    await models.rename(runs.completed, 'First run');
    await models.row(runs.completed).getByText('First run', { exact: true }).waitFor();
    expect(readRun(runsDir, runs.completed).name).toBe('First run');

    // An empty name is refused inline and nothing changes.
    await models.row(runs.completed).getByRole('button', { name: 'Rename', exact: true }).click();
    const field = models.row(runs.completed).getByRole('textbox', { name: 'Run name' });
    await field.fill('   ');
    await field.press('Enter');
    await models
      .row(runs.completed)
      .getByRole('alert')
      .filter({ hasText: 'cannot be empty' })
      .waitFor();
    await field.press('Escape');
    await field.waitFor({ state: 'detached' });
    expect(readRun(runsDir, runs.completed).name).toBe('First run');
  });

  it('lists a run stopped mid-way as stopped, ready to resume', async () => {
    const ui = studioPage(page);
    const models = modelsPage(page);
    await models.show('Train');
    await ui.configure({ trainLimit: 3000, testLimit: 500, epochs: 40, batchSize: 32 });
    await ui.start.click();
    await waitUntil(
      () => ui.chartPoints(ui.accuracyChart),
      (n) => n >= 2,
      60_000,
      'the first epoch',
    );
    await ui.stop.click();
    await ui.waitForStatus('Stopped', 60_000);
    runs.stopped = await newestRun([runs.completed]);

    await models.show('Models');
    await models.waitForStatus(runs.stopped, 'Stopped');
    expect(await models.actionEnabled(runs.stopped, 'Resume')).toBe(true);
    expect(readRun(runsDir, runs.stopped).status).toBe('stopped');
  }, 180_000);

  it('closing the app mid-epoch leaves an interrupted run; a new app resumes it to the end', async () => {
    const ui = studioPage(page);
    const models = modelsPage(page);
    await models.show('Train');
    // Epochs of a few seconds each, so the kill surely lands inside the second one.
    await ui.configure({ trainLimit: 40000, testLimit: 1000, epochs: 2, batchSize: 32 });
    await ui.start.click();
    runs.resumed = await newestRun([runs.completed, runs.stopped]);
    // The first epoch's checkpoint is on disk…
    await waitUntil(
      async () => {
        const record = readRun(runsDir, runs.resumed);
        return record.epochsCompleted >= 1 && record.hasCheckpoint;
      },
      (done) => done,
      120_000,
      "the first epoch's checkpoint",
    );
    // …and the second epoch is under way.
    await waitUntil(
      () => ui.progress(),
      (p) => p > 50,
      30_000,
      'progress into the second epoch',
    );

    // "Close the app": the server goes, and with it the engine process (killed, no goodbye).
    studio.expectingDisconnect = true;
    await studio.stopServer();
    const cutOff = readRun(runsDir, runs.resumed);
    expect(cutOff.status).toBe('running');
    expect(cutOff.epochsCompleted).toBe(1);
    expect(existsSync(path.join(runsDir, runs.resumed, 'checkpoint', 'state.json'))).toBe(true);

    // "Reopen": a new server (new engine, new port, new token) on the same runs folder.
    await studio.restart();
    studio.expectingDisconnect = false;

    await models.show('Models');
    await models.waitForStatus(runs.resumed, 'Interrupted');
    expect(await models.row(runs.resumed).getByTestId('run-reason').textContent()).toMatch(
      /Cut off after 1 of 2 epochs/,
    );
    // The other runs came through the restart as they were.
    await models.waitForStatus(runs.completed, 'Completed');
    await models.waitForStatus(runs.stopped, 'Stopped');

    await models.runAction(runs.resumed, 'Resume');
    // The app switches to the Train view, which shows the resumed run's progress.
    await waitUntil(
      () => models.currentView(),
      (v) => v === 'Train',
      60_000,
      'the Train view',
    );
    await waitUntil(
      () => ui.progress(),
      (p) => p > 50,
      60_000,
      'resumed progress',
    );
    await ui.waitForStatus('Finished', 180_000);
    expect(await ui.progress()).toBe(100);

    await models.show('Models');
    await models.waitForStatus(runs.resumed, 'Completed');
    expect(await models.row(runs.resumed).textContent()).toContain('2 / 2');
    const record = readRun(runsDir, runs.resumed);
    expect(record.status).toBe('completed');
    expect(record.testAccuracy).toBeGreaterThan(0.8);
    const epochs = readFileSync(path.join(runsDir, runs.resumed, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { epoch: number }).epoch);
    expect(new Set(epochs)).toEqual(new Set([0, 1]));
  }, 420_000);

  it('exports a run as a folder and as a single file, and never overwrites', async () => {
    const models = modelsPage(page);
    const folder = path.join(exportsDir, 'first');
    const file = path.join(exportsDir, 'first.json');

    const asFolder = await models.exportRun(runs.completed, folder, 'folder');
    expect(asFolder).toEqual({
      files: [path.join(folder, 'model.json'), path.join(folder, 'weights.bin')],
    });
    const modelJson = JSON.parse(readFileSync(path.join(folder, 'model.json'), 'utf8')) as {
      format: string;
      userDefinedMetadata: { studio: { labels: string[] } };
    };
    expect(modelJson.format).toBe('layers-model');
    expect(modelJson.userDefinedMetadata.studio.labels).toHaveLength(10);
    // Exporting opened the run: it is the current model now.
    await models.row(runs.completed).getByTestId('current-badge').waitFor();

    const asFile = await models.exportRun(runs.completed, file, 'file');
    expect(asFile).toEqual({ files: [file] });
    expect(
      (JSON.parse(readFileSync(file, 'utf8')) as { weightData: string }).weightData.length,
    ).toBeGreaterThan(1000);

    const again = await models.exportRun(runs.completed, file, 'file');
    expect(again).toMatchObject({ error: expect.stringMatching(/already exists/) });
    const againFolder = await models.exportRun(runs.completed, folder, 'folder');
    expect(againFolder).toMatchObject({ error: expect.stringMatching(/not empty/) });

    // A relative path never reaches the engine.
    await models.exportPanel.getByRole('textbox').fill('relative/place');
    await models.exportPanel.getByRole('button', { name: 'Export model' }).click();
    await models.exportPanel.getByText(/Give a full path/).waitFor();
    await models.exportPanel.getByRole('button', { name: 'Close export' }).click();
  }, 120_000);

  it('loads an exported model from disk, and shows why a broken one is refused', async () => {
    const models = modelsPage(page);
    const file = path.join(exportsDir, 'first.json');
    await models.loadModel(file);
    await models.currentModel.getByText(`Loaded from ${file}`).waitFor();

    const broken = path.join(exportsDir, 'broken');
    mkdirSync(broken);
    writeFileSync(path.join(broken, 'model.json'), '{"format": "layers-model",');
    await models.loadModel(broken);
    await page
      .getByTestId('load-error')
      .filter({ hasText: /not valid JSON/ })
      .waitFor();
    await models.loadModel(path.join(exportsDir, 'nowhere'));
    await page
      .getByTestId('load-error')
      .filter({ hasText: /does not exist/ })
      .waitFor();
    // The refused models left the loaded one in place.
    expect(await models.currentModel.textContent()).toContain(`Loaded from ${file}`);
  });

  it('overlays the loss and accuracy curves of the selected runs', async () => {
    const models = modelsPage(page);
    await page.getByText(/Tick two or more runs/).waitFor();
    await models.compare(runs.completed);
    await page.getByText(/Tick one more run/).waitFor();
    await models.compare(runs.resumed);
    await models.compare(runs.stopped);
    const legend = page.getByRole('list', { name: 'Compared runs' }).getByRole('listitem');
    await waitUntil(
      () => legend.count(),
      (n) => n === 3,
      10_000,
      'three runs in the legend',
    );
    expect(await legend.first().textContent()).toContain('First run');
    const lossChart = page.locator('figure', { has: page.getByRole('img', { name: /loss/ }) });
    // Validation per epoch: two runs × 2 epochs + the stopped run's epochs…
    await waitUntil(
      async () => Number(await lossChart.getAttribute('data-epoch-points')),
      (n) => n >= 2 + 2 + 1,
      10_000,
      'overlaid validation points',
    );
    // …and training per batch, from each run's recorded batch history (at least the first
    // batch and every epoch's last).
    expect(Number(await lossChart.getAttribute('data-batch-points'))).toBeGreaterThanOrEqual(
      3 + 3 + 2,
    );

    if (SCREENSHOT) {
      // A clean page: a run opened as the current model, two runs compared, no leftover errors.
      await page.reload();
      await models.show('Models');
      await models.runAction(runs.completed, 'Open');
      await page.getByRole('button', { name: 'Dismiss message' }).click();
      await models.compare(runs.completed);
      await models.compare(runs.resumed);
      await waitUntil(
        async () => Number(await lossChart.getAttribute('data-epoch-points')),
        (n) => n === 4,
        10_000,
        'two runs overlaid',
      );
      await page.mouse.move(0, 0);
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    }
  });

  it('shows a run whose run.json is corrupt as damaged while the others load', async () => {
    const models = modelsPage(page);
    const broken = '20000101-000000-lenet5-badbad'; // an id in the generated format
    mkdirSync(path.join(runsDir, broken));
    writeFileSync(path.join(runsDir, broken, 'run.json'), '{"formatVersion": 1, "id": ');
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await models.waitForStatus(broken, 'Damaged');
    expect(await models.row(broken).getByTestId('run-reason').textContent()).toMatch(
      /run\.json is not valid JSON/,
    );
    expect(await models.rows.count()).toBe(4);
    for (const id of [runs.completed, runs.stopped, runs.resumed])
      expect(await models.status(id)).not.toBe('Damaged');
    expect(await models.actionEnabled(broken, 'Open')).toBe(false);
    expect(await models.actionEnabled(broken, 'Resume')).toBe(false);

    // A damaged run can be cleared away, after confirming.
    await models.runAction(broken, 'Delete');
    await models.dialog.getByRole('button', { name: 'Delete run' }).click();
    await models.row(broken).waitFor({ state: 'detached' });
    expect(existsSync(path.join(runsDir, broken))).toBe(false);
  });

  it('deletes a run only after confirmation', async () => {
    const models = modelsPage(page);
    await models.runAction(runs.stopped, 'Delete');
    await models.dialog.waitFor();
    expect(await models.dialog.textContent()).toMatch(/removed for good/);
    await models.dialog.getByRole('button', { name: 'Cancel' }).click();
    await models.dialog.waitFor({ state: 'hidden' });
    expect(existsSync(path.join(runsDir, runs.stopped))).toBe(true);

    await models.runAction(runs.stopped, 'Delete');
    await page.keyboard.press('Escape');
    await models.dialog.waitFor({ state: 'hidden' });
    expect(existsSync(path.join(runsDir, runs.stopped))).toBe(true);

    await models.runAction(runs.stopped, 'Delete');
    await models.dialog.getByRole('button', { name: 'Delete run' }).click();
    await models.row(runs.stopped).waitFor({ state: 'detached' });
    expect(existsSync(path.join(runsDir, runs.stopped))).toBe(false);
    expect(await models.rows.count()).toBe(2);
    // It left the comparison too.
    await waitUntil(
      () => page.getByRole('list', { name: 'Compared runs' }).getByRole('listitem').count(),
      (n) => n === 2,
      10_000,
      'two runs compared',
    );
  });

  it('evaluates the opened run: accuracy and a confusion matrix that sums to the test count', async () => {
    const models = modelsPage(page);
    await models.runAction(runs.resumed, 'Open');
    await models.row(runs.resumed).getByTestId('current-badge').waitFor();

    await models.show('Evaluate');
    const resumedName = readRun(runsDir, runs.resumed).name;
    await page
      .getByTestId('evaluate-model')
      .filter({ hasText: `run “${resumedName}”` })
      .waitFor();
    await page.getByLabel('Test subset').fill('2000');
    await page.getByRole('button', { name: 'Evaluate model' }).click();
    const accuracy = page.getByTestId('evaluate-accuracy').locator('dd');
    await accuracy.waitFor({ timeout: 60_000 });
    const percent = Number(/([\d.]+)%/.exec((await accuracy.textContent()) ?? '')?.[1]);
    expect(percent).toBeGreaterThan(80);
    expect((await page.getByTestId('evaluate-samples').locator('dd').textContent())?.trim()).toBe(
      '2,000',
    );
    expect(await confusionSum(page)).toEqual({ cells: 100, sum: 2000 });
    const table = page.getByRole('grid', { name: /Confusion matrix/ });
    expect(await table.getByRole('columnheader').count()).toBeGreaterThanOrEqual(11);
    expect(await table.getByRole('rowheader').count()).toBe(11); // digits 0–9 and Precision

    // A bad subset is refused in the form, before the engine sees it.
    await page.getByLabel('Test subset').fill('0');
    await page.getByRole('button', { name: 'Evaluate model' }).click();
    await page.getByText('Must be at least 1.').waitFor();
    expect(problems).toEqual([]);
  }, 120_000);
});
