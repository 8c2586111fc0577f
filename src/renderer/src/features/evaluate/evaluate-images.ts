// The 28×28 test images a gallery draws, fetched lazily through `datasetImages` in pages as the
// gallery scrolls, and kept in a bounded cache (a few MB) keyed by dataset index: scrolling back
// asks the engine for nothing, thousands of scrolled-past images do not pile up. Pure: no Vue;
// the store turns `onLoaded` into a redraw.
import {
  IMAGE_PIXELS,
  MAX_DATASET_IMAGES,
  type DatasetImages,
} from '../../../../shared/engine-protocol';

export interface ImageCacheOptions {
  fetch(indices: number[]): Promise<DatasetImages>;
  /** Called once a fetch's images are in. */
  onLoaded(indices: readonly number[]): void;
  onError(error: unknown): void;
  /** Images kept (oldest dropped first); 4,096 is 3.2 MB. */
  capacity?: number;
}

export interface ImageCache {
  get(index: number): Uint8Array | undefined;
  /** Fetches those of `indices` neither cached nor on their way. */
  ensure(indices: readonly number[]): Promise<void>;
  /** Forgets everything (another dataset); answers still on their way are dropped. */
  clear(): void;
  readonly size: number;
}

export function createImageCache(options: ImageCacheOptions): ImageCache {
  const capacity = Math.max(MAX_DATASET_IMAGES, options.capacity ?? 4096);
  let images = new Map<number, Uint8Array>();
  let pending = new Set<number>();
  /** Bumped by clear(), so a fetch begun before it does not fill the new cache. */
  let generation = 0;

  function store(result: DatasetImages): number[] {
    const stored: number[] = [];
    result.indices.forEach((index, k) => {
      // A copy, not a view: the cache must not keep the whole answer alive for one image.
      images.set(index, result.pixels.slice(k * IMAGE_PIXELS, (k + 1) * IMAGE_PIXELS));
      stored.push(index);
    });
    for (const oldest of images.keys()) {
      if (images.size <= capacity) break;
      images.delete(oldest);
    }
    return stored;
  }

  return {
    get: (index) => images.get(index),
    get size() {
      return images.size;
    },
    async ensure(indices) {
      const missing = [...new Set(indices)].filter((i) => !images.has(i) && !pending.has(i));
      if (missing.length === 0) return;
      const mine = generation;
      const chunks: number[][] = [];
      for (let k = 0; k < missing.length; k += MAX_DATASET_IMAGES)
        chunks.push(missing.slice(k, k + MAX_DATASET_IMAGES));
      for (const i of missing) pending.add(i);
      await Promise.all(
        chunks.map(async (chunk) => {
          try {
            const result = await options.fetch(chunk);
            if (mine !== generation) return;
            options.onLoaded(store(result));
          } catch (error) {
            if (mine === generation) options.onError(error);
          } finally {
            if (mine === generation) for (const i of chunk) pending.delete(i);
          }
        }),
      );
    },
    clear() {
      generation++;
      images = new Map();
      pending = new Set();
    },
  };
}
