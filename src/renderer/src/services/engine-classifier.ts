// The Classify view's chunk classifier: the files' bytes go to the engine, which decodes,
// preprocesses and classifies them with the CLI's own decoder (classify-images), so a dropped
// folder gets the answers `lenet predict` gives, and the page only reads bytes and paints rows
// (decoding 10,000 files in Web Workers on two cores left the page at ~450 files/s). The
// engine's decoder takes PNG, JPEG, BMP and GIF; a WebP, or a file larger than one request
// may carry, goes to the page's own decoder instead (`fallback`).
//
// Generic over Blob (a browser File; Node's Blob in tests): no DOM here.
import {
  MAX_CLASSIFY_IMAGE_BYTES,
  MAX_CLASSIFY_IMAGES,
  packImageBytes,
  type ClassifiedImages,
  type ImageBytes,
} from '../../../shared/engine-protocol';
import { isWebp } from '../../../shared/image-header';
import { MNIST_PIXELS, NUM_CLASSES } from '../../../shared/mnist-shape';
import type { ChunkClassifier, FileOutcome } from '../features/classify/classify-batch';

export interface EngineClassifierDeps<F extends Blob> {
  classifyImages(images: ImageBytes): Promise<ClassifiedImages>;
  /** Classifies what the engine's decoder does not take (the page's decoder + predict). */
  fallback: ChunkClassifier<F>;
  /** Files read at once (each read is a round trip to the browser's file thread). */
  readConcurrency?: number;
  /** Awaited before each file is read: lets the page pace reads to its frames (frame-pacer.ts). */
  beforeRead?: () => Promise<void>;
}

const UNREADABLE = 'cannot read the file (moved, deleted or not permitted)';

type Read = { bytes: Uint8Array } | { fallback: true } | { error: string };

/**
 * The file's bytes, read as a stream and given up past the request limit. Not `file.size`
 * first: for a picked file that is a synchronous round trip to the browser process (a
 * snapshot of the file's metadata), which doubled the page's cost of reading 10,000 small
 * files (measured: 3.9 s against 2.0 s), and a read without a bound could pull a huge file
 * into the page.
 */
async function readFile(file: Blob): Promise<Read> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    const reader = file.stream().getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > MAX_CLASSIFY_IMAGE_BYTES) {
        await reader.cancel();
        return { fallback: true };
      }
      chunks.push(value);
    }
  } catch {
    // NotReadableError / NotFoundError: moved, deleted or not permitted since it was picked.
    return { error: UNREADABLE };
  }
  const bytes = chunks.length === 1 ? (chunks[0] as Uint8Array) : concat(chunks, total);
  return isWebp(bytes) ? { fallback: true } : { bytes };
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

function outcomesOf(result: ClassifiedImages): FileOutcome[] {
  return Array.from(result.predicted, (predicted, i): FileOutcome => {
    const error = result.errors[i];
    if (predicted < 0) return { error: error ?? 'could not be classified' };
    const probabilities = Array.from(
      result.probabilities.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES),
    );
    return {
      prediction: { predicted, confidence: probabilities[predicted] as number, probabilities },
      warnings: result.warnings[i] ?? [],
      thumbnail: result.thumbnails.slice(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS),
    };
  });
}

/**
 * Bytes read and not yet sent that make a request go out before the chunk is all read: a chunk
 * of 128 phone photos would otherwise sit in the page whole (hundreds of MB, twice over with two
 * chunks in flight). A chunk of digit scans (a few hundred bytes each) is one request.
 */
const SEND_AT_BYTES = 8 * 1024 * 1024;

export function createEngineClassifier<F extends Blob>(
  deps: EngineClassifierDeps<F>,
): ChunkClassifier<F> {
  const readConcurrency = Math.max(1, deps.readConcurrency ?? 16);
  return async (files) => {
    const outcomes: FileOutcome[] = files.map(() => ({ error: 'no prediction returned' }));
    const toPage: number[] = [];
    // Read and not yet sent, in the order the reads finished (results go back by index).
    let unsent: Array<{ index: number; bytes: Uint8Array }> = [];
    let unsentBytes = 0;
    // Requests go one after another; a failed one fails every later one, and the chunk.
    let sent: Promise<void> = Promise.resolve();
    const send = (): Promise<void> => {
      const group = unsent;
      unsent = [];
      unsentBytes = 0;
      const images = packImageBytes(group.map((g) => g.bytes));
      sent = sent.then(async () => {
        const result = await deps.classifyImages(images);
        outcomesOf(result).forEach((outcome, k) => (outcomes[group[k]!.index] = outcome));
      });
      // Reported by whoever awaits the chain (the chunk's end), not as unhandled here.
      sent.catch(() => undefined);
      return sent;
    };

    let next = 0;
    const reader = async (): Promise<void> => {
      while (next < files.length) {
        const index = next++;
        await deps.beforeRead?.();
        const read = await readFile(files[index] as F);
        if ('error' in read) outcomes[index] = { error: read.error };
        else if ('fallback' in read) toPage.push(index);
        else {
          if (
            unsent.length === MAX_CLASSIFY_IMAGES ||
            unsentBytes + read.bytes.length > MAX_CLASSIFY_IMAGE_BYTES
          )
            void send();
          unsent.push({ index, bytes: read.bytes });
          unsentBytes += read.bytes.length;
          // Waiting here holds this reader back until its bytes are out of the page.
          if (unsentBytes >= SEND_AT_BYTES) await send();
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(readConcurrency, files.length) }, reader));
    if (unsent.length > 0) void send();

    const pageWork = (async () => {
      if (toPage.length === 0) return;
      toPage.sort((a, b) => a - b);
      const found = await deps.fallback(toPage.map((index) => files[index] as F));
      found.forEach((outcome, k) => (outcomes[toPage[k] as number] = outcome));
    })();
    await Promise.all([sent, pageWork]);
    return outcomes;
  };
}
