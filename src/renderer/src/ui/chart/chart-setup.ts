// Chart.js with only the parts the studio draws (tree-shaken build), registered on first use,
// and the colours it takes from the CSS theme so that charts follow light and dark mode with
// the page. Nothing happens at import: the first chart (or colour read) sets things up.
import {
  Chart,
  LineController,
  LineElement,
  LinearScale,
  LogarithmicScale,
  PointElement,
  Tooltip,
} from 'chart.js';

// Charts redraw ~10 times a second; reading computed styles that often would force style
// recalculation, so values are cached until the theme changes.
const cache = new Map<string, string>();
let darkQuery: MediaQueryList | null = null;

function setUp(): MediaQueryList {
  if (!darkQuery) {
    Chart.register(
      LineController,
      LineElement,
      PointElement,
      LinearScale,
      LogarithmicScale,
      Tooltip,
    );
    darkQuery = window.matchMedia('(prefers-color-scheme: dark)');
    darkQuery.addEventListener('change', () => cache.clear());
  }
  return darkQuery;
}

/** Chart.js, with the studio's parts registered. */
export function chartJs(): typeof Chart {
  setUp();
  return Chart;
}

/** The value of a CSS custom property on :root, e.g. cssVar('--chart-loss'). */
export function cssVar(name: string): string {
  setUp();
  let value = cache.get(name);
  if (value === undefined) {
    value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    cache.set(name, value);
  }
  return value;
}

/** Calls `listener` whenever the system switches between light and dark; returns the unsubscribe. */
export function onThemeChange(listener: () => void): () => void {
  // Registered after the cache's own listener, so listeners read the new theme's values.
  const query = setUp();
  query.addEventListener('change', listener);
  return () => query.removeEventListener('change', listener);
}
