// What the Draw view shows of a prediction: the most likely digits, best first.

export interface RankedDigit {
  digit: number;
  probability: number;
}

/** The `k` most likely digits, best first (ties keep the lower digit first). */
export function topDigits(probabilities: readonly number[], k = 3): RankedDigit[] {
  return probabilities
    .map((probability, digit) => ({ digit, probability }))
    .sort((a, b) => b.probability - a.probability || a.digit - b.digit)
    .slice(0, k);
}

/** 0.9823 → "98.2%"; near-certain and tiny values don't round to a misleading 100% or 0%. */
export function formatProbability(p: number): string {
  if (!Number.isFinite(p)) return '–';
  if (p > 0 && p < 0.0005) return '<0.1%';
  if (p < 1 && p >= 0.9995) return '>99.9%';
  return `${(p * 100).toFixed(1)}%`;
}
