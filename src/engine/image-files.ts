// An image file as the engine reads and decodes it, for classification and image-folder
// datasets: opened without blocking (a FIFO among dropped files must not hang a read thread),
// size capped before reading, decoded by TensorFlow and put through the shared MNIST
// preprocessing; every failure is an Error saying what is wrong with the file, never its bytes.
import { promises as fs } from 'node:fs';
import * as tf from '@tensorflow/tfjs-node';
import { readImageHeader } from '../shared/image-header';
import { preprocess, type Preprocessed, type RawImage } from '../shared/preprocess';
import { OPEN_NONBLOCKING, readFully } from './read-files';

/** Files larger than this are refused before reading (no digit image needs 64 MiB). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;
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
