// Display formatting shared by the views. Fixed to 'en-US' digit grouping so numbers read the
// same in screenshots and tests on any machine.

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 75 → "1:15", 3725 → "1:02:05"; "–" for unknown. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) {
    return '–';
  }
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** 0.98765 → "98.77%". */
export function formatPercent(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return `${(value * 100).toFixed(digits)}%`;
}

/** 61706 → "61,706". */
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return grouped.format(value);
}

/** 1 → "1 file", 30 → "30 files", 1200 → "1,200 files" (English plurals with an s). */
export function formatCountOf(value: number, noun: string): string {
  return `${formatCount(value)} ${value === 1 ? noun : `${noun}s`}`;
}

/** Loss values: 4 significant digits, enough to see progress at both 2.3 and 0.012. */
export function formatLoss(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return value.toPrecision(4);
}

/** Learning rates span decades: 0.003 → "3.00e-3". */
export function formatRate(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const [mantissa, exponent] = value.toExponential(2).split('e');
  return `${mantissa}e${Number(exponent)}`;
}
