// Classifies image files: each is checked, decoded, preprocessed the MNIST way and predicted.
// A bad file becomes one result with an error; it never stops the rest of the batch.
import type { FileClassification } from '../shared/engine-protocol';
import { toPrediction } from '../shared/prediction';
import { decodeAndPreprocess, readImageFile } from './image-files';
import { predictPixels, type Forward } from './classify-images';

/**
 * Files read at once. Reads go through libuv's thread pool (4 threads by default): one at a
 * time, the engine sat idle waiting for each open/stat/read/close in turn, about a third of
 * the time of a folder of small PNGs.
 */
const READ_CONCURRENCY = 8;

function failed(path: string, error: string): FileClassification {
  return { path, predicted: null, confidence: null, probabilities: null, error, warnings: [] };
}

export async function classifyFiles(
  /** The current model's outputs (the engine's native inference, or tf.layers' predict). */
  forward: Forward,
  paths: string[],
): Promise<FileClassification[]> {
  const results: FileClassification[] = new Array<FileClassification>(paths.length);
  const pixels: Array<Float32Array | null> = new Array<Float32Array | null>(paths.length).fill(
    null,
  );
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const index = next++;
      const path = paths[index] as string;
      try {
        const decoded = decodeAndPreprocess(await readImageFile(path));
        pixels[index] = decoded.pixels;
        results[index] = { ...failed(path, ''), error: null, warnings: decoded.warnings };
      } catch (err) {
        results[index] = failed(path, (err as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, paths.length) }, worker));

  const good = pixels.flatMap((p, index) => (p ? [index] : []));
  const probabilities = predictPixels(
    forward,
    good.map((index) => pixels[index] as Float32Array),
  );
  good.forEach((index, i) => {
    const {
      predicted,
      confidence,
      probabilities: p,
    } = toPrediction(Array.from(probabilities.subarray(i * 10, i * 10 + 10)));
    Object.assign(results[index] as FileClassification, {
      predicted,
      confidence,
      probabilities: p,
    });
  });
  return results;
}
