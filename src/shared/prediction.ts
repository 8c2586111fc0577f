import type { Prediction } from './engine-protocol';

/** The most likely class of a probability vector, with its probability. */
export function toPrediction(probabilities: number[]): Prediction {
  let best = 0;
  for (let k = 1; k < probabilities.length; k++) {
    if ((probabilities[k] as number) > (probabilities[best] as number)) best = k;
  }
  return { predicted: best, confidence: probabilities[best] as number, probabilities };
}
