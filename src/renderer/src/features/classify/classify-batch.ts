// Classifies a batch of files as a stream, a chunk at a time: each chunk's files are opened and
// handed to a chunk classifier (the engine's decoder fed the files' bytes, or the page's own
// decoder and a predict request), two chunks in flight so reading and classifying overlap.
// Only the chunks being worked on hold bytes or pixels; what stays is one small row per file.
// A file that fails becomes a row with its error and the batch goes on. Between chunks the
// batch yields, so the UI keeps painting while 10,000 files go through.
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

/** What became of one file of a chunk: its prediction, or why it has none. */
export type FileOutcome =
  { prediction: Prediction; warnings: string[]; thumbnail: Uint8Array | null } | { error: string };

/**
 * Classifies a chunk of opened files, one outcome per file in order. Rejects only when
 * predicting fails (no model, engine gone): a file's own fault is its outcome's error.
 */
export type ChunkClassifier<F> = (files: readonly F[]) => Promise<FileOutcome[]>;

export interface BatchOptions<F> {
  sources: readonly BatchSource<F>[];
  classify: ChunkClassifier<F>;
  /** Called once per chunk with its finished rows, in file order. */
  onRows(rows: ClassifyRow[]): void;
  /** Each file as it is opened, with its row's id (the view shows the original image). */
  onOpened?(id: number, file: F): void;
  onProgress(done: number, total: number): void;
  /** Checked between chunks: a cancelled batch keeps the rows it finished. */
  cancelled(): boolean;
  /** Gives the UI a turn (a macrotask, so rendering can happen). */
  yieldToUi(): Promise<void>;
  /** Ids continue from here (results from earlier batches stay in the list). */
  firstId?: number;
  /** The model's class names by label: a folder named like one labels its files too. */
  classNames?: readonly string[];
  chunkSize?: number;
  /**
   * Chunks being classified at once (2 by default): while the engine classifies one chunk, the
   * page reads the next one's files (with 1, each waited for the other).
   */
  inFlight?: number;
}

export interface BatchOutcome {
  status: 'done' | 'cancelled';
  processed: number;
}

export const CHUNK_SIZE = 128;
const FIRST_CHUNK_SIZE = 16;

/**
 * How a batch of `total` files is cut into chunks: the first chunks are small and double up to
 * chunkSize, so the grid's first cards render a few dozen per frame, not a full chunk's worth
 * in one long frame; the rest are chunkSize, the last one what is left.
 */
export function chunkSizes(total: number, chunkSize = CHUNK_SIZE): number[] {
  const sizes: number[] = [];
  let size = Math.min(chunkSize, FIRST_CHUNK_SIZE);
  for (let left = total; left > 0; left -= sizes[sizes.length - 1] as number) {
    sizes.push(Math.min(size, left));
    size = Math.min(chunkSize, size * 2);
  }
  return sizes;
}

function emptyRow(id: number, path: string, classNames?: readonly string[]): ClassifyRow {
  return {
    id,
    path,
    predicted: null,
    confidence: null,
    probabilities: null,
    error: null,
    warnings: [],
    thumbnail: null,
    label: labelFromPath(path, classNames),
  };
}

/** One chunk: its files opened (a file that cannot be opened is an error row), then classified. */
async function classifyChunk<F>(
  chunk: readonly BatchSource<F>[],
  rows: ClassifyRow[],
  classify: ChunkClassifier<F>,
  onOpened: (id: number, file: F) => void,
): Promise<void> {
  const opened = await Promise.all(
    chunk.map((source) =>
      source.open().then(
        (file) => ({ file }),
        (error: unknown) => ({ error: errorMessage(error, 'cannot read the file') }),
      ),
    ),
  );
  const good = opened.flatMap((o, index) => ('file' in o ? [index] : []));
  opened.forEach((o, index) => {
    const row = rows[index] as ClassifyRow;
    if ('error' in o) row.error = o.error;
    else onOpened(row.id, o.file);
  });
  if (good.length === 0) return;
  const outcomes = await classify(good.map((index) => (opened[index] as { file: F }).file));
  good.forEach((index, i) => {
    const row = rows[index] as ClassifyRow;
    const outcome = outcomes[i];
    if (!outcome) row.error = 'no prediction returned';
    else if ('error' in outcome) row.error = outcome.error;
    else {
      row.predicted = outcome.prediction.predicted;
      row.confidence = outcome.prediction.confidence;
      row.probabilities = outcome.prediction.probabilities;
      row.warnings = outcome.warnings;
      row.thumbnail = outcome.thumbnail;
    }
  });
}

/** Runs the batch. Rejects only when predicting fails (no model, engine gone): not a file's fault. */
export async function classifyBatch<F>(options: BatchOptions<F>): Promise<BatchOutcome> {
  const { sources, classify, onRows, onProgress, cancelled, yieldToUi } = options;
  const chunkSize = options.chunkSize ?? CHUNK_SIZE;
  const inFlight = Math.max(1, options.inFlight ?? 2);
  let nextId = options.firstId ?? 0;
  let processed = 0;
  onProgress(0, sources.length);

  // Chunks started and not yet delivered, oldest first; rows are delivered in file order.
  const pending: Array<{ rows: ClassifyRow[]; work: Promise<void> }> = [];
  let start = 0;
  let delivered = 0;
  const sizes = chunkSizes(sources.length, chunkSize);
  const startChunk = () => {
    const chunk = sources.slice(start, start + (sizes[pending.length + delivered] as number));
    start += chunk.length;
    const rows = chunk.map((source) => emptyRow(nextId++, source.path, options.classNames));
    const work = classifyChunk(chunk, rows, classify, options.onOpened ?? (() => undefined));
    // A later chunk's failure is reported when its turn comes, never as an unhandled rejection.
    work.catch(() => undefined);
    pending.push({ rows, work });
  };

  try {
    for (;;) {
      while (pending.length < inFlight && start < sources.length && !cancelled()) startChunk();
      const oldest = pending.shift();
      if (!oldest) break;
      delivered++;
      await oldest.work;
      processed += oldest.rows.length;
      onRows(oldest.rows);
      onProgress(processed, sources.length);
      await yieldToUi();
    }
  } finally {
    // Let chunks still in the engine finish before the batch says it is over (their rows are
    // dropped: the batch was cancelled, or failed).
    await Promise.allSettled(pending.map((p) => p.work));
  }
  return { status: processed < sources.length ? 'cancelled' : 'done', processed };
}

/**
 * A chunk classifier from a per-file decoder and a batch predict: `concurrency` files decode at
 * once, then the chunk's good images go in one predict request. The page's own decoding (the
 * Web Workers), used for what the engine's decoder does not take.
 */
export function classifyByDecoding<F>(
  decode: (file: F) => Promise<Decoded>,
  predict: (batch: Float32Array) => Promise<Prediction[]>,
  concurrency = 16,
): ChunkClassifier<F> {
  return async (files) => {
    const decoded: Array<Decoded | { error: string }> = new Array(files.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < files.length) {
        const index = next++;
        try {
          decoded[index] = await decode(files[index] as F);
        } catch (error) {
          decoded[index] = { error: errorMessage(error, 'cannot read the file') };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
    const good = decoded.flatMap((d, index) => ('pixels' in d ? [index] : []));
    const predictions =
      good.length > 0
        ? await predict(toWireBatch(good.map((index) => (decoded[index] as Decoded).pixels)))
        : [];
    const outcomes: FileOutcome[] = decoded.map((d) =>
      'error' in d ? { error: d.error } : { error: 'no prediction returned' },
    );
    good.forEach((index, i) => {
      const prediction = predictions[i];
      const d = decoded[index] as Decoded;
      if (prediction)
        outcomes[index] = { prediction, warnings: d.warnings, thumbnail: d.thumbnail };
    });
    return outcomes;
  };
}
