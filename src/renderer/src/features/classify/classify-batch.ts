// Classifies a batch of files as a stream: decode → preprocess → predict, a chunk at a time.
// Only the chunk being worked on holds pixels; what stays is one small row per file. A file
// that fails becomes a row with its error and the batch goes on. Between chunks the batch
// yields, so the UI keeps painting while 10,000 files go through.
//
// Generic over the file handle (a browser File, a test double): no DOM here.
import type { Prediction } from '../../../../shared/engine-protocol';
import { labelFromPath } from '../../../../shared/class-labels';
import type { ClassifyRow } from './classify-results';
import { errorMessage } from '../../ui/error-message';
import { toWireBatch } from '../draw/draw-network-input';

export interface Decoded {
  /** 28×28 in [0,1], from the shared preprocessing. */
  pixels: Float32Array;
  warnings: string[];
  /** The 28×28 grey bytes the network sees (pixelsToGrey), for the result's picture. */
  thumbnail: Uint8Array | null;
}

export interface BatchSource<F> {
  /** Shown in the grid and written to the CSV. */
  path: string;
  /** Opens the file; rejects with a readable message when it cannot be read. */
  open(): Promise<F>;
}

export interface BatchOptions<F> {
  sources: readonly BatchSource<F>[];
  decode(file: F): Promise<Decoded>;
  /** n images as one Float32Array of n×784 values (a binary predict request). */
  predict(batch: Float32Array): Promise<Prediction[]>;
  /** Called once per chunk with its finished rows, in file order. */
  onRows(rows: ClassifyRow[]): void;
  onProgress(done: number, total: number): void;
  /** Checked between files: a cancelled batch keeps the rows it finished. */
  cancelled(): boolean;
  /** Gives the UI a turn (a macrotask, so rendering can happen). */
  yieldToUi(): Promise<void>;
  /** Ids continue from here (results from earlier batches stay in the list). */
  firstId?: number;
  /** The model's class names by label: a folder named like one labels its files too. */
  classNames?: readonly string[];
  chunkSize?: number;
  /** Files decoded at once (image decoding runs off the main thread in the browser). */
  concurrency?: number;
}

export interface BatchOutcome {
  status: 'done' | 'cancelled';
  processed: number;
}

export const CHUNK_SIZE = 64;

/** Runs the batch. Rejects only when predicting fails (no model, engine gone): not a file's fault. */
export async function classifyBatch<F>(options: BatchOptions<F>): Promise<BatchOutcome> {
  const { sources, decode, predict, onRows, onProgress, cancelled, yieldToUi } = options;
  const chunkSize = options.chunkSize ?? CHUNK_SIZE;
  const concurrency = Math.max(1, options.concurrency ?? 16);
  let nextId = options.firstId ?? 0;
  let processed = 0;
  onProgress(0, sources.length);

  for (let start = 0; start < sources.length; start += chunkSize) {
    if (cancelled()) return { status: 'cancelled', processed };
    const chunk = sources.slice(start, start + chunkSize);
    const rows: ClassifyRow[] = chunk.map((source) => ({
      id: nextId++,
      path: source.path,
      predicted: null,
      confidence: null,
      probabilities: null,
      error: null,
      warnings: [],
      thumbnail: null,
      label: labelFromPath(source.path, options.classNames),
    }));
    const pixels: Array<Float32Array | null> = new Array<Float32Array | null>(chunk.length).fill(
      null,
    );

    let next = 0;
    let stopped = false;
    const worker = async (): Promise<void> => {
      while (next < chunk.length && !stopped) {
        if (cancelled()) {
          stopped = true;
          return;
        }
        const index = next++;
        const row = rows[index] as ClassifyRow;
        try {
          const decoded = await decode(await (chunk[index] as BatchSource<F>).open());
          pixels[index] = decoded.pixels;
          row.warnings = decoded.warnings;
          row.thumbnail = decoded.thumbnail;
        } catch (error) {
          row.error = errorMessage(error, 'cannot read the file');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, chunk.length) }, worker));
    if (stopped) return { status: 'cancelled', processed };

    const good = pixels.flatMap((p, index) => (p ? [index] : []));
    if (good.length > 0) {
      const predictions = await predict(toWireBatch(good.map((index) => pixels[index]!)));
      good.forEach((index, i) => {
        const p = predictions[i];
        const row = rows[index] as ClassifyRow;
        if (!p) {
          row.error = 'no prediction returned';
          return;
        }
        row.predicted = p.predicted;
        row.confidence = p.confidence;
        row.probabilities = p.probabilities;
      });
    }
    processed += chunk.length;
    onRows(rows);
    onProgress(processed, sources.length);
    await yieldToUi();
  }
  return { status: 'done', processed };
}
