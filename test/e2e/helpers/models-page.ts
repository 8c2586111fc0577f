// What the Models and Evaluate e2e tests read from and do on those views, through accessible
// names and the few test ids the views expose; plus reading the run folders on disk, which is
// where the tests check that the UI told the truth.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { RUN_ID_PATTERN, type RunRecord } from '../../../src/shared/run-record';

/** The actions in a run's "⋯" menu. */
export type RunActionName = 'Open' | 'Resume' | 'Export' | 'Delete';

export function modelsPage(page: Page) {
  const tab = (name: string): Locator =>
    page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name, exact: true });
  const rows = page.getByTestId('run-row');

  const api = {
    rows,
    currentModel: page.getByTestId('current-model'),
    exportPanel: page.getByTestId('export-panel'),
    dialog: page.getByRole('dialog'),

    async show(view: 'Train' | 'Evaluate' | 'Models'): Promise<void> {
      await tab(view).click();
      await tab(view).and(page.locator('[aria-current="page"]')).waitFor();
    },

    /** The view the app shows now (the tab marked current). */
    async currentView(): Promise<string> {
      return (await page.locator('nav [aria-current="page"]').textContent())?.trim() ?? '';
    },

    row(runId: string): Locator {
      return page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
    },

    async status(runId: string): Promise<string> {
      return (await api.row(runId).getByTestId('run-status-cell').textContent())?.trim() ?? '';
    },

    async waitForStatus(runId: string, status: string, timeout = 30_000): Promise<void> {
      await api
        .row(runId)
        .getByTestId('run-status-cell')
        .filter({ hasText: new RegExp(`^\\s*${status}\\s*$`) })
        .waitFor({ timeout });
    },

    /** A run's row actions menu button ("⋯", named "Actions for <run name>"). */
    menuButton(runId: string): Locator {
      return api.row(runId).getByRole('button', { name: /^Actions for / });
    },

    /** Opens a run's actions menu (if it is not open) and returns its item `name`. */
    async actionItem(runId: string, name: RunActionName): Promise<Locator> {
      const button = api.menuButton(runId);
      if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
      return api.row(runId).getByRole('menu').getByRole('menuitem', { name, exact: true });
    },

    /** Runs a row action through the run's menu. */
    async runAction(runId: string, name: RunActionName): Promise<void> {
      await (await api.actionItem(runId, name)).click();
    },

    /** Whether a row action is offered now (looked up in the run's menu, closed again). */
    async actionEnabled(runId: string, name: RunActionName): Promise<boolean> {
      const item = await api.actionItem(runId, name);
      const enabled = (await item.getAttribute('aria-disabled')) !== 'true';
      await item.press('Escape');
      await api.row(runId).getByRole('menu').waitFor({ state: 'detached' });
      return enabled;
    },

    async rename(runId: string, name: string): Promise<void> {
      await api.row(runId).getByRole('button', { name: 'Rename', exact: true }).click();
      const field = api.row(runId).getByRole('textbox', { name: 'Run name' });
      await field.fill(name);
      await field.press('Enter');
      await field.waitFor({ state: 'detached' });
    },

    /** Opens the export panel for a run and exports; returns the listed files or the error. */
    async exportRun(
      runId: string,
      target: string,
      kind: 'folder' | 'file',
    ): Promise<{ files: string[] } | { error: string }> {
      const panel = api.exportPanel;
      // Start from a fresh panel, so an earlier result cannot be mistaken for this one.
      if (await panel.isVisible()) {
        await panel.getByRole('button', { name: 'Close export' }).click();
        await panel.waitFor({ state: 'detached' });
      }
      await api.runAction(runId, 'Export');
      await panel.getByRole('radio', { name: kind === 'folder' ? /^Folder/ : /^Single/ }).check();
      await panel.getByRole('textbox').fill(target);
      const result = panel.getByTestId('export-result');
      const error = panel.getByTestId('export-error');
      await panel.getByRole('button', { name: 'Export model' }).click();
      await result.or(error).waitFor({ timeout: 30_000 });
      if (await error.isVisible()) return { error: (await error.textContent()) ?? '' };
      return { files: await result.locator('code').allTextContents() };
    },

    async loadModel(location: string): Promise<void> {
      await page.getByLabel('Load a model from disk').fill(location);
      await page.getByRole('button', { name: 'Load model' }).click();
    },

    /** Ticks a run's Compare box. */
    async compare(runId: string): Promise<void> {
      await api.row(runId).getByRole('checkbox').check();
    },
  };
  return api;
}

/** Run folders under `runsDir`, newest first (ids start with their creation time). */
export function runIds(runsDir: string): string[] {
  if (!existsSync(runsDir)) return [];
  return (
    readdirSync(runsDir, { withFileTypes: true })
      // Only finished run folders (a folder being created has a temporary name).
      .filter((e) => e.isDirectory() && RUN_ID_PATTERN.test(e.name))
      .map((e) => e.name)
      .sort()
      .reverse()
  );
}

export function readRun(runsDir: string, runId: string): RunRecord {
  return JSON.parse(readFileSync(path.join(runsDir, runId, 'run.json'), 'utf8')) as RunRecord;
}

/** Sum of the numbers in the Evaluate view's confusion matrix cells. */
export async function confusionSum(page: Page): Promise<{ cells: number; sum: number }> {
  const texts = await page.getByTestId('confusion-cell').allTextContents();
  return {
    cells: texts.length,
    sum: texts.reduce((total, text) => total + Number(text.trim()), 0),
  };
}
