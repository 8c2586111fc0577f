// Which test images a gallery shows, in which order: a confusion cell's images, and the most
// confidently wrong predictions across all classes (where label errors in a dataset show up).
// Pure functions over the evaluation's per-sample arrays, so the UI sorts thousands of images
// without asking the engine again.

/** Per-sample results of an evaluation, in dataset order (index i = test sample i). */
export interface SamplePredictions {
  labels: ArrayLike<number>;
  predicted: ArrayLike<number>;
  /** The probability of the predicted class. */
  confidence: ArrayLike<number>;
}

/** Most confident first; ties in dataset order, so the order is stable across sorts. */
function byConfidence(samples: SamplePredictions) {
  return (a: number, b: number) =>
    (samples.confidence[b] as number) - (samples.confidence[a] as number) || a - b;
}

/**
 * The sample indices of one confusion cell (true class `actual`, predicted `predicted`), most
 * confident first: in an off-diagonal cell that is most confidently wrong first.
 */
export function cellGallery(
  samples: SamplePredictions,
  actual: number,
  predicted: number,
): number[] {
  const indices: number[] = [];
  for (let i = 0; i < samples.labels.length; i++) {
    if (samples.labels[i] === actual && samples.predicted[i] === predicted) indices.push(i);
  }
  return indices.sort(byConfidence(samples));
}

/** Every wrong prediction across all classes, most confidently wrong first (at most `limit`). */
export function mostConfidentlyWrong(samples: SamplePredictions, limit = Infinity): number[] {
  const indices: number[] = [];
  for (let i = 0; i < samples.labels.length; i++) {
    if (samples.labels[i] !== samples.predicted[i]) indices.push(i);
  }
  return indices.sort(byConfidence(samples)).slice(0, limit);
}
