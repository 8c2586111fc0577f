// Classifies encoded images sent as bytes (the Classify view's dropped files: a page cannot
// name files on disk, so it streams their bytes), with the decoder and preprocessing the CLI's
// classify-files uses: the same file gets the same answer in the view and on the command line.
// A bad image becomes one result with an error; it never stops the rest of the request.
import * as tf from '@tensorflow/tfjs-node';
import type { ClassifiedImages, ImageBytes } from '../shared/engine-protocol';
import { MNIST_INPUT_SHAPE, MNIST_PIXELS, NUM_CLASSES } from '../shared/mnist-shape';
import { pixelsToGrey } from '../shared/preprocess';
import { decodeAndPreprocess } from './image-files';
import { valuesOf } from './tensor-values';

/** The current model's outputs for a batch of 28×28 inputs (probabilities, n × 10). */
export type Forward = (x: tf.Tensor) => tf.Tensor2D;

/** The probabilities of n preprocessed images, image i's ten at [10i, 10i+10). */
export function predictPixels(forward: Forward, images: readonly Float32Array[]): Float32Array {
  if (images.length === 0) return new Float32Array(0);
  const batch = new Float32Array(images.length * MNIST_PIXELS);
  images.forEach((pixels, i) => batch.set(pixels, i * MNIST_PIXELS));
  return valuesOf(() => forward(tf.tensor4d(batch, [images.length, ...MNIST_INPUT_SHAPE])));
}

function argmax(values: Float32Array, from: number, count: number): number {
  let best = 0;
  for (let k = 1; k < count; k++)
    if ((values[from + k] as number) > (values[from + best] as number)) best = k;
  return best;
}

export function classifyImages(forward: Forward, images: ImageBytes): ClassifiedImages {
  const n = images.ends.length;
  const predicted = new Int32Array(n).fill(-1);
  const probabilities = new Float32Array(n * NUM_CLASSES);
  const thumbnails = new Uint8Array(n * MNIST_PIXELS);
  const errors: Array<string | null> = new Array<string | null>(n).fill(null);
  const warnings: string[][] = Array.from({ length: n }, () => []);

  const good: number[] = [];
  const pixels: Float32Array[] = [];
  let start = 0;
  for (let i = 0; i < n; i++) {
    const end = images.ends[i] as number;
    try {
      const decoded = decodeAndPreprocess(images.bytes.subarray(start, end));
      good.push(i);
      pixels.push(decoded.pixels);
      warnings[i] = decoded.warnings;
      thumbnails.set(pixelsToGrey(decoded.pixels), i * MNIST_PIXELS);
    } catch (err) {
      errors[i] = (err as Error).message;
    }
    start = end;
  }

  const out = predictPixels(forward, pixels);
  good.forEach((index, i) => {
    probabilities.set(out.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES), index * NUM_CLASSES);
    predicted[index] = argmax(out, i * NUM_CLASSES, NUM_CLASSES);
  });
  return { predicted, probabilities, thumbnails, errors, warnings };
}
