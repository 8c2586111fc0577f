// Finds what a small window cuts off: every visible interactive element, table cell, chart and
// scroll area whose box is not inside the viewport's width (the page scrolls down, never
// sideways) and not inside every ancestor that clips it, unless that ancestor scrolls on that
// axis (overflow auto/scroll with more content than room), where the element can be reached.
// Fixed-position elements (menus, dialogs) must be inside the viewport's height too. And none of
// them may have content spilling out sideways (a legend running past its chart's card).
//   const cut = await cutOffElements(page);   // [] when nothing is cut off
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';

/** What a cut-off element is reported as (the probe's own type, repeated: see PROBE). */
export interface CutOff {
  /** A short CSS-like path naming the element (tag, id, classes, accessible name). */
  element: string;
  box: { x: number; y: number; width: number; height: number };
  /** What clips it: an ancestor's description, or "viewport". */
  clippedBy: string;
}

interface Probe {
  findCutOff(selector: string): CutOff[];
  textInsidePlot(el: unknown): { inside: boolean; text: string; area: string };
}

/**
 * The page-side functions, loaded by path: imported statically, this config (no DOM types)
 * would compile them.
 */
const PROBE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cut-off-probe.ts');
let probe: Promise<Probe> | null = null;
function loadProbe(): Promise<Probe> {
  probe ??= import(PROBE) as Promise<Probe>;
  return probe;
}

/** What the check looks at: controls, table cells, charts, grid cells and canvases. */
const SELECTOR = [
  'a[href]',
  'button',
  'input:not([type="hidden"])',
  'select',
  'textarea',
  'summary',
  '[tabindex]:not([tabindex="-1"])',
  '[role="button"]',
  '[role="menuitem"]',
  '[role="gridcell"]',
  'th',
  'td',
  'canvas',
  'figure',
].join(',');

/** Everything visible that the window cuts off, as the page lays it out now. */
export async function cutOffElements(page: Page): Promise<CutOff[]> {
  const { findCutOff } = await loadProbe();
  return page.evaluate(findCutOff, SELECTOR);
}

/** Whether an empty chart's placeholder text lies inside the chart's plot area. */
export async function textInsidePlot(
  placeholder: Locator,
): Promise<{ inside: boolean; text: string; area: string }> {
  const { textInsidePlot: inPage } = await loadProbe();
  return placeholder.evaluate(inPage);
}
