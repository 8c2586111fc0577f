// The gallery's image cache over a datasetImages double that answers like the engine (the
// bytes of image i are all i % 256, so a mix-up shows).
import { describe, expect, it, vi } from 'vitest';
import { IMAGE_PIXELS, type DatasetImages } from '../../../../src/shared/engine-protocol';
import { createImageCache } from '../../../../src/renderer/src/features/evaluate/evaluate-images';

function answer(indices: number[]): DatasetImages {
  const pixels = new Uint8Array(indices.length * IMAGE_PIXELS);
  indices.forEach((i, k) => pixels.fill(i % 256, k * IMAGE_PIXELS, (k + 1) * IMAGE_PIXELS));
  return { indices: Int32Array.from(indices), labels: new Int32Array(indices.length), pixels };
}

function setup(capacity?: number) {
  const fetch = vi.fn(async (indices: number[]) => answer(indices));
  const loaded: number[][] = [];
  const errors: unknown[] = [];
  const cache = createImageCache({
    fetch,
    onLoaded: (indices) => loaded.push([...indices]),
    onError: (error) => errors.push(error),
    ...(capacity ? { capacity } : {}),
  });
  return { cache, fetch, loaded, errors };
}

describe('gallery image cache', () => {
  it('fetches only what is neither cached nor on its way, and keeps each image', async () => {
    const { cache, fetch, loaded } = setup();
    const first = cache.ensure([3, 7, 7, 9]);
    const again = cache.ensure([7, 9]); // on their way: nothing new asked
    await Promise.all([first, again]);
    expect(fetch.mock.calls).toEqual([[[3, 7, 9]]]);
    expect(loaded).toEqual([[3, 7, 9]]);
    expect(cache.get(7)?.length).toBe(IMAGE_PIXELS);
    expect(cache.get(7)?.every((v) => v === 7)).toBe(true);
    await cache.ensure([3, 9, 11]);
    expect(fetch.mock.calls[1]).toEqual([[11]]);
  });

  it('splits a request larger than the engine takes at once', async () => {
    const { cache, fetch } = setup();
    await cache.ensure(Array.from({ length: 1500 }, (_, i) => i));
    expect(fetch.mock.calls.map(([indices]) => indices.length)).toEqual([1024, 476]);
    expect(cache.get(1499)?.[0]).toBe(1499 % 256);
  });

  it('drops the oldest images past its capacity', async () => {
    const { cache } = setup(1024);
    await cache.ensure(Array.from({ length: 1024 }, (_, i) => i));
    await cache.ensure([5000, 5001]);
    expect(cache.size).toBe(1024);
    expect(cache.get(0)).toBeUndefined();
    expect(cache.get(1)).toBeUndefined();
    expect(cache.get(2)).toBeDefined();
    expect(cache.get(5001)).toBeDefined();
  });

  it('reports a failed fetch, and asks again next time', async () => {
    const { cache, fetch, errors } = setup();
    fetch.mockRejectedValueOnce(new Error('engine gone'));
    await cache.ensure([1]);
    expect(errors).toEqual([new Error('engine gone')]);
    expect(cache.get(1)).toBeUndefined();
    await cache.ensure([1]);
    expect(cache.get(1)).toBeDefined();
  });

  it('ignores an answer that arrives after clear (another evaluation)', async () => {
    const { cache, fetch, loaded } = setup();
    let release: (value: DatasetImages) => void = () => undefined;
    fetch.mockImplementationOnce(() => new Promise((resolve) => (release = resolve)));
    const pending = cache.ensure([4]);
    cache.clear();
    release(answer([4]));
    await pending;
    expect(cache.get(4)).toBeUndefined();
    expect(loaded).toEqual([]);
  });
});
