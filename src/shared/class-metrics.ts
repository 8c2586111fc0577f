// Per-class scores of a classifier from its confusion matrix: the numbers behind the Evaluate
// view's table and the CLI's `evaluate --json`. Pure arithmetic, shared by engine, CLI and UI.

/** confusion[actual][predicted] counts. */
export type ConfusionMatrix = number[][];

export interface ClassMetrics {
  /** Of the samples predicted as this class, the share that are it (0 when none predicted). */
  precision: number;
  /** Of the samples of this class, the share predicted as it (0 when the class has none). */
  recall: number;
  /** Harmonic mean of precision and recall (0 when both are 0). */
  f1: number;
  /** How many samples of this class there are (the row's sum). */
  support: number;
}

/** Counts of (actual, predicted) pairs; labels outside [0, classes) are refused. */
export function confusionMatrix(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classes: number,
): ConfusionMatrix {
  if (actual.length !== predicted.length) {
    throw new Error(`${actual.length} labels but ${predicted.length} predictions`);
  }
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number;
    const p = predicted[i] as number;
    if (!(a >= 0 && a < classes && p >= 0 && p < classes)) {
      throw new Error(`sample ${i}: class ${a} → ${p} is outside 0…${classes - 1}`);
    }
    (matrix[a] as number[])[p]! += 1;
  }
  return matrix;
}

/** Precision, recall, F1 and support of every class (rows = actual class). */
export function perClassMetrics(confusion: ConfusionMatrix): ClassMetrics[] {
  const classes = confusion.length;
  return confusion.map((row, k) => {
    const truePositives = row[k] ?? 0;
    const support = row.reduce((a, b) => a + b, 0);
    let predictedAsK = 0;
    for (let a = 0; a < classes; a++) predictedAsK += confusion[a]?.[k] ?? 0;
    const precision = predictedAsK === 0 ? 0 : truePositives / predictedAsK;
    const recall = support === 0 ? 0 : truePositives / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { precision, recall, f1, support };
  });
}

/** Each class's accuracy (its recall: the diagonal over the row), null for an empty class. */
export function perClassAccuracy(confusion: ConfusionMatrix): Array<number | null> {
  return confusion.map((row, k) => {
    const support = row.reduce((a, b) => a + b, 0);
    return support === 0 ? null : (row[k] ?? 0) / support;
  });
}
