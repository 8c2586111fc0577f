// Classifies image files: each is checked, decoded, preprocessed the MNIST way and predicted.
// A bad file becomes one result with an error; it never stops the rest of the batch.
import { promises as fs } from 'node:fs';
import * as tf from '@tensorflow/tfjs-node';
import type { FileClassification } from '../shared/engine-protocol';
import { readImageHeader } from '../shared/image-header';
import { MNIST_INPUT_SHAPE, MNIST_PIXELS } from '../shared/mnist-shape';
import { toPrediction } from '../shared/prediction';
import { preprocess, type Preprocessed, type RawImage } from '../shared/preprocess';
import { OPEN_NONBLOCKING, readFully } from './read-files';
import { forward } from './models';

/** Files larger than this are refused before reading (no digit image needs 64 MiB). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;
/**
 * Files read at once. Reads go through libuv's thread pool (4 threads by default): one at a
 * time, the engine sat idle waiting for each open/stat/read/close in turn, about a third of
 * the time of a folder of small PNGs.
 */
const READ_CONCURRENCY = 8;

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

export async function readImageFile(file: string): Promise<Uint8Array> {
  let handle: fs.FileHandle;
  try {
    // Non-blocking: opening a FIFO for reading otherwise waits for a writer, for ever, and
    // holds one of libuv's few file threads while it does. The stat below then refuses it.
    handle = await fs.open(file, OPEN_NONBLOCKING);
  } catch (err) {
    throw new Error(describeFsError(err));
  }
  try {
    // stat through the open handle: one path lookup instead of two.
    const stat = await handle.stat();
    if (!stat.isFile()) throw new Error('not a regular file');
    if (stat.size > MAX_FILE_BYTES) throw new Error(`file is too large (${stat.size} bytes)`);
    // Read only the bytes measured: a file growing meanwhile cannot push past the limit.
    const bytes = new Uint8Array(stat.size);
    return bytes.subarray(0, await readFully(handle, bytes));
  } catch (err) {
    throw err instanceof Error && !(err as NodeJS.ErrnoException).code
      ? err
      : new Error(describeFsError(err));
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** Decodes PNG/JPEG/BMP/GIF bytes and applies the MNIST preprocessing (throws why not). */
export function decodeAndPreprocess(bytes: Uint8Array): Preprocessed {
  const header = readImageHeader(bytes);
  if (header.format === 'webp')
    throw new Error('WebP cannot be decoded by the engine (PNG, JPEG, BMP, GIF can)');
  let raw: RawImage;
  let image: tf.Tensor3D | null = null;
  try {
    // Disposed by hand rather than in tf.tidy: tidy walks whatever the callback returns, and
    // walking the pixel array element by element cost more than decoding the PNG.
    image = tf.node.decodeImage(bytes, 0, 'int32', false) as tf.Tensor3D;
    const [height, width, channels] = image.shape;
    raw = {
      width,
      height,
      channels: channels as RawImage['channels'],
      data: Uint8Array.from(image.dataSync()),
    };
  } catch (err) {
    throw new Error(
      `corrupt or truncated ${header.format.toUpperCase()} (${(err as Error).message.split('\n')[0]})`,
    );
  } finally {
    image?.dispose();
  }
  return preprocess(raw);
}

function failed(path: string, error: string): FileClassification {
  return { path, predicted: null, confidence: null, probabilities: null, error, warnings: [] };
}

export async function classifyFiles(
  /** The model, or the function computing its outputs (the engine's native inference). */
  model: tf.LayersModel | ((x: tf.Tensor) => tf.Tensor2D),
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
  if (good.length > 0) {
    const batch = new Float32Array(good.length * MNIST_PIXELS);
    good.forEach((index, i) => batch.set(pixels[index] as Float32Array, i * MNIST_PIXELS));
    const probs = tf.tidy(() =>
      (typeof model === 'function' ? model : (x: tf.Tensor) => forward(model, x))(
        tf.tensor4d(batch, [good.length, ...MNIST_INPUT_SHAPE]),
      ).arraySync(),
    );
    good.forEach((index, i) => {
      const { predicted, confidence, probabilities } = toPrediction(probs[i] as number[]);
      Object.assign(results[index] as FileClassification, {
        predicted,
        confidence,
        probabilities,
      });
    });
  }
  return results;
}
