import { describe, expect, it } from 'vitest';
import type { Prediction } from '../../../../src/shared/engine-protocol';
import {
  chunkSizes,
  classifyBatch,
  classifyByDecoding,
  type BatchOptions,
  type BatchSource,
  type Decoded,
} from '../../../../src/renderer/src/features/classify/classify-batch';
import type { ClassifyRow } from '../../../../src/renderer/src/features/classify/classify-results';

/** A fake file: its name says what decoding it does. */
interface FakeFile {
  name: string;
  digit: number;
}

function source(name: string, digit = 0): BatchSource<FakeFile> {
  if (name.startsWith('unreadable'))
    return { path: name, open: () => Promise.reject(new Error('permission denied')) };
  return { path: name, open: () => Promise.resolve({ name, digit }) };
}

async function decode(file: FakeFile): Promise<Decoded> {
  await new Promise((r) => setTimeout(r, 0));
  if (file.name.startsWith('broken')) throw new Error('not an image');
  const pixels = new Float32Array(784).fill(file.digit / 10);
  return {
    pixels,
    warnings: file.name.startsWith('faint') ? ['very low contrast'] : [],
    thumbnail: Uint8Array.of(file.digit),
  };
}

/** Predicts the digit encoded in the pixel value, and records each request's size. */
function fakePredict(sizes: number[]) {
  return async (batch: Float32Array): Promise<Prediction[]> => {
    expect(batch.length % 784).toBe(0);
    const images = Array.from({ length: batch.length / 784 }, (_, k) =>
      batch.subarray(784 * k, 784 * k + 784),
    );
    sizes.push(images.length);
    return images.map((row) => {
      const digit = Math.round((row[0] as number) * 10);
      const probabilities = new Array<number>(10).fill(0.01);
      probabilities[digit] = 0.91;
      return { predicted: digit, confidence: 0.91, probabilities };
    });
  };
}

function options(
  sources: BatchSource<FakeFile>[],
  extra: Partial<BatchOptions<FakeFile>> = {},
): BatchOptions<FakeFile> & {
  rows: ClassifyRow[];
  chunks: number[];
  progress: number[];
  sizes: number[];
  yields: number;
} {
  const state = {
    rows: [] as ClassifyRow[],
    chunks: [] as number[],
    progress: [] as number[],
    sizes: [] as number[],
    yields: 0,
  };
  return Object.assign(state, {
    sources,
    classify: classifyByDecoding(decode, fakePredict(state.sizes)),
    onRows: (rows: ClassifyRow[]) => {
      state.rows.push(...rows);
      state.chunks.push(rows.length);
    },
    onProgress: (done: number) => state.progress.push(done),
    cancelled: () => false,
    yieldToUi: async () => {
      state.yields++;
    },
    ...extra,
  });
}

describe('chunkSizes', () => {
  it('starts small and doubles up to the chunk size, covering every file once', () => {
    expect(chunkSizes(1000, 128)).toEqual([16, 32, 64, 128, 128, 128, 128, 128, 128, 120]);
    expect(chunkSizes(10, 128)).toEqual([10]);
    expect(chunkSizes(0, 128)).toEqual([]);
    expect(chunkSizes(25, 8)).toEqual([8, 8, 8, 1]);
  });
});

describe('classifyBatch', () => {
  it('streams files in chunks: decode, one predict per chunk, rows in file order', async () => {
    const sources = Array.from({ length: 150 }, (_, i) => source(`${i}.png`, i % 10));
    const o = options(sources, { chunkSize: 64 });
    const outcome = await classifyBatch(o);
    expect(outcome).toEqual({ status: 'done', processed: 150 });
    expect(o.chunks).toEqual([16, 32, 64, 38]);
    expect(o.sizes).toEqual([16, 32, 64, 38]);
    expect(o.progress).toEqual([0, 16, 48, 112, 150]);
    expect(o.yields).toBe(4); // the UI gets a turn after every chunk
    expect(o.rows.map((r) => r.path)).toEqual(sources.map((s) => s.path));
    expect(o.rows.map((r) => r.id)).toEqual(sources.map((_, i) => i));
    expect(o.rows.every((r, i) => r.predicted === i % 10 && r.error === null)).toBe(true);
    // Rows keep a thumbnail and the probabilities, never the pixels.
    expect(o.rows[3]).toEqual({
      id: 3,
      path: '3.png',
      predicted: 3,
      confidence: 0.91,
      probabilities: expect.any(Array),
      error: null,
      warnings: [],
      thumbnail: Uint8Array.of(3),
      label: null,
    });
  });

  it('turns each bad file into one error row and finishes the rest', async () => {
    const sources = [
      source('a.png', 1),
      source('broken.png'),
      source('b.png', 2),
      source('unreadable.png'),
      source('faint.png', 4),
    ];
    const o = options(sources, { chunkSize: 64 });
    expect((await classifyBatch(o)).status).toBe('done');
    expect(o.sizes).toEqual([3]); // only the good files are sent to the model
    expect(o.rows.map((r) => [r.path, r.predicted, r.error])).toEqual([
      ['a.png', 1, null],
      ['broken.png', null, 'not an image'],
      ['b.png', 2, null],
      ['unreadable.png', null, 'permission denied'],
      ['faint.png', 4, null],
    ]);
    expect(o.rows[1]?.thumbnail).toBeNull();
    expect(o.rows[4]?.warnings).toEqual(['very low contrast']);
  });

  it('sends nothing to the model when a chunk has no good file', async () => {
    const o = options([source('broken1.png'), source('broken2.png')]);
    await classifyBatch(o);
    expect(o.sizes).toEqual([]);
    expect(o.rows.map((r) => r.error)).toEqual(['not an image', 'not an image']);
  });

  it('stops between chunks when cancelled, keeping the finished chunks', async () => {
    let cancel = false;
    const sources = Array.from({ length: 100 }, (_, i) => source(`${i}.png`, 1));
    const o = options(sources, {
      chunkSize: 10,
      inFlight: 1,
      cancelled: () => cancel,
      yieldToUi: async () => {
        if (o.rows.length >= 30) cancel = true;
      },
    });
    const outcome = await classifyBatch(o);
    expect(outcome).toEqual({ status: 'cancelled', processed: 30 });
    expect(o.rows).toHaveLength(30);
  });

  it('finishes the chunk already in flight when cancelled, and starts no other', async () => {
    let cancel = false;
    const started: number[] = [];
    const sources = Array.from({ length: 100 }, (_, i) => source(`${i}.png`, 1));
    const o = options(sources, {
      chunkSize: 10,
      cancelled: () => cancel,
      yieldToUi: async () => {
        if (o.rows.length >= 30) cancel = true;
      },
    });
    const classify = o.classify;
    o.classify = (files) => {
      started.push(files.length);
      return classify(files);
    };
    const outcome = await classifyBatch(o);
    // Chunk 4 was being classified while chunk 3 was shown: it is kept, chunk 5 never starts.
    expect(outcome).toEqual({ status: 'cancelled', processed: 40 });
    expect(o.rows.map((r) => r.path)).toEqual(sources.slice(0, 40).map((s) => s.path));
    expect(started).toEqual([10, 10, 10, 10]);
  });

  it('classifies the next chunk while the engine works on one, delivering rows in order', async () => {
    const calls: string[] = [];
    const gates: Array<() => void> = [];
    const sources = Array.from({ length: 30 }, (_, i) => source(`${i}.png`, i % 10));
    const o = options(sources, { chunkSize: 10 });
    const classify = o.classify;
    o.classify = async (files) => {
      calls.push(`start ${files[0]?.name}`);
      // The first chunk waits until the second has started: they overlap or this never ends.
      if (files[0]?.name === '0.png') await new Promise<void>((resolve) => gates.push(resolve));
      if (files[0]?.name === '10.png') gates.shift()?.();
      return classify(files);
    };
    await classifyBatch(o);
    expect(calls.slice(0, 2)).toEqual(['start 0.png', 'start 10.png']);
    expect(o.chunks).toEqual([10, 10, 10]);
    expect(o.rows.map((r) => r.path)).toEqual(sources.map((s) => s.path));
  });

  it('continues ids after earlier batches', async () => {
    const o = options([source('x.png', 1)], { firstId: 41 });
    await classifyBatch(o);
    expect(o.rows[0]?.id).toBe(41);
  });

  it('rejects when the model cannot predict (not a file problem)', async () => {
    const o = options([source('a.png', 1)], {
      classify: classifyByDecoding(decode, () =>
        Promise.reject(new Error('no model: train one or load one first')),
      ),
    });
    await expect(classifyBatch(o)).rejects.toThrow(/no model/);
  });

  it('decodes a few files at a time, never the whole batch at once', async () => {
    let inFlight = 0;
    let peak = 0;
    const o = options(
      Array.from({ length: 40 }, (_, i) => source(`${i}.png`, 1)),
      {
        classify: classifyByDecoding(
          async (file: FakeFile) => {
            inFlight++;
            peak = Math.max(peak, inFlight);
            const result = await decode(file);
            inFlight--;
            return result;
          },
          fakePredict([]),
          3,
        ),
        inFlight: 1,
      },
    );
    await classifyBatch(o);
    expect(peak).toBe(3);
  });
});
