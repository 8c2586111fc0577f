// Classifies image files: each is checked, decoded, preprocessed the MNIST way and predicted.
// A bad file becomes one result with an error; it never stops the rest of the batch.
import { promises as fs } from 'node:fs';
import * as tf from '@tensorflow/tfjs-node';
import type { FileClassification } from '../../shared/engine-protocol';
import { readImageHeader } from '../../shared/image-header';
import { preprocess, type RawImage } from '../../shared/preprocess';

/** Files larger than this are refused before reading (no digit image needs 64 MiB). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'file not found';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'symbolic link loop';
    case 'EISDIR':
      return 'is a folder';
    default:
      return `cannot read (${code ?? (err as Error).message})`;
  }
}

async function decode(file: string): Promise<{ pixels: Float32Array; warnings: string[] }> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (err) {
    throw new Error(describeFsError(err));
  }
  if (!stat.isFile()) throw new Error('not a regular file');
  if (stat.size > MAX_FILE_BYTES) throw new Error(`file is too large (${stat.size} bytes)`);
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (err) {
    throw new Error(describeFsError(err));
  }
  const header = readImageHeader(bytes);
  if (header.format === 'webp')
    throw new Error('WebP cannot be decoded by the engine (PNG, JPEG, BMP, GIF can)');
  let raw: RawImage;
  try {
    raw = tf.tidy(() => {
      const image = tf.node.decodeImage(bytes, 0, 'int32', false) as tf.Tensor3D;
      const [height, width, channels] = image.shape;
      return {
        width,
        height,
        channels: channels as RawImage['channels'],
        data: new Uint8Array(image.dataSync()),
      };
    });
  } catch (err) {
    throw new Error(
      `corrupt or truncated ${header.format.toUpperCase()} (${(err as Error).message.split('\n')[0]})`,
    );
  }
  return preprocess(raw);
}

export async function classifyFiles(
  model: tf.LayersModel,
  paths: string[],
): Promise<FileClassification[]> {
  const results: FileClassification[] = [];
  const good: { index: number; pixels: Float32Array }[] = [];
  for (const path of paths) {
    try {
      const { pixels, warnings } = await decode(path);
      good.push({ index: results.length, pixels });
      results.push({
        path,
        predicted: null,
        confidence: null,
        probabilities: null,
        error: null,
        warnings,
      });
    } catch (err) {
      results.push({
        path,
        predicted: null,
        confidence: null,
        probabilities: null,
        error: (err as Error).message,
        warnings: [],
      });
    }
  }
  if (good.length > 0) {
    const batch = new Float32Array(good.length * 784);
    good.forEach((g, i) => batch.set(g.pixels, i * 784));
    const probs = tf.tidy(() =>
      (model.predict(tf.tensor4d(batch, [good.length, 28, 28, 1])) as tf.Tensor2D).arraySync(),
    );
    good.forEach((g, i) => {
      const p = probs[i] as number[];
      let best = 0;
      for (let k = 1; k < 10; k++) if ((p[k] as number) > (p[best] as number)) best = k;
      const r = results[g.index] as FileClassification;
      r.predicted = best;
      r.confidence = p[best] as number;
      r.probabilities = p;
    });
  }
  return results;
}
