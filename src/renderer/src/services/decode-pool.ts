// Decoding in Web Workers (image-decode.worker.ts) for the files the Classify view cannot send
// to the engine's decoder (engine-classifier.ts): WebP, and files over one request's 32 MiB. A
// small file is read by the page (the read itself runs off the main thread) and its bytes are
// transferred: posting the File instead cost the page 0.65 ms per file in structured clone,
// measured, a third of its time on 10,000 files. A large file goes as the File, so the worker
// reads only its header before deciding to decode. Pixels and a thumbnail come back, so 10,000
// dropped files keep the page painting. Where workers cannot
// start (an old browser, a policy), decoding stays on the page (decodeForBatch).
import type { Decoded } from '../features/classify/classify-batch';
import { decodeForBatch } from './image-decode';
import type { DecodeReply, DecodeRequest } from './image-decode.worker';

/** Files up to this size are read by the page and their bytes transferred to a worker. */
const SMALL_FILE_BYTES = 64 * 1024;

export interface DecodePool {
  decode(file: Blob): Promise<Decoded>;
  dispose(): void;
}

/** One worker per core (at most 4), used round-robin; each decodes several files at once. */
export function createDecodePool(
  size = Math.min(4, Math.max(2, (navigator.hardwareConcurrency || 2) * 2)),
): DecodePool {
  let workers: Worker[];
  try {
    workers = Array.from(
      { length: size },
      () =>
        new Worker(new URL('./image-decode.worker.ts', import.meta.url), {
          type: 'module',
          name: 'image-decode',
        }),
    );
  } catch {
    return { decode: decodeForBatch, dispose() {} };
  }
  const pending = new Map<
    number,
    { file: Blob; resolve(d: Decoded): void; reject(e: Error): void }
  >();
  let nextId = 0;
  let broken = false;
  for (const worker of workers) {
    worker.onmessage = ({ data }: MessageEvent<DecodeReply>) => {
      const waiter = pending.get(data.id);
      if (!waiter) return;
      pending.delete(data.id);
      if ('error' in data) waiter.reject(new Error(data.error));
      else
        waiter.resolve({ pixels: data.pixels, warnings: data.warnings, thumbnail: data.thumbnail });
    };
    // A worker that failed to load (blocked, unsupported): every file falls back to the page.
    worker.onerror = (event) => {
      event.preventDefault();
      broken = true;
      for (const [id, waiter] of pending) {
        pending.delete(id);
        decodeForBatch(waiter.file).then(waiter.resolve, waiter.reject);
      }
    };
  }
  return {
    decode(file) {
      if (broken) return decodeForBatch(file);
      const id = nextId++;
      return new Promise<Decoded>((resolve, reject) => {
        pending.set(id, { file, resolve, reject });
        const worker = workers[id % workers.length]!;
        if (file.size > SMALL_FILE_BYTES) {
          const request: DecodeRequest = { id, file };
          worker.postMessage(request);
          return;
        }
        file.arrayBuffer().then(
          (bytes) => {
            const request: DecodeRequest = { id, bytes, type: file.type };
            worker.postMessage(request, [bytes]);
          },
          () => {
            pending.delete(id);
            reject(new Error('cannot read the file (moved, deleted or not permitted)'));
          },
        );
      });
    },
    dispose() {
      for (const worker of workers) worker.terminate();
    },
  };
}
