// The Classify view's chunk classifier over real Blobs and the engine's real classify-images
// (tfjs-node): bytes in order, WebP and oversized files to the page's decoder, unreadable files
// as error rows, requests cut to the protocol's limits, and reads paced by the caller.
import * as tf from '@tensorflow/tfjs-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyImages } from '../../../src/engine/classify-images';
import { createModel, forward } from '../../../src/engine/models';
import type { FileOutcome } from '../../../src/renderer/src/features/classify/classify-batch';
import { createEngineClassifier } from '../../../src/renderer/src/services/engine-classifier';
import {
  ImageBytesSchema,
  MAX_CLASSIFY_IMAGE_BYTES,
  type ImageBytes,
} from '../../../src/shared/engine-protocol';
import { TrainingConfigSchema } from '../../../src/shared/training-config';
import { mnistTest } from '../../e2e/helpers/draw-classify-page';

let model: tf.LayersModel;
let pngs: Uint8Array[];

beforeAll(async () => {
  model = createModel(TrainingConfigSchema.parse({}));
  const mnist = mnistTest();
  pngs = await Promise.all(
    Array.from({ length: 8 }, async (_, i) => {
      const t = tf.tensor3d(mnist.image(i), [28, 28, 1], 'int32');
      const png = await tf.node.encodePng(t);
      t.dispose();
      return png;
    }),
  );
});
afterAll(() => model.dispose());

/** The engine's side of the request, validated as the host validates it. */
function engine(requests: ImageBytes[]) {
  return async (images: ImageBytes) => {
    requests.push(images);
    return classifyImages((x) => forward(model, x), ImageBytesSchema.parse(images));
  };
}

const png = (i: number) => new Blob([pngs[i % pngs.length] as Uint8Array], { type: 'image/png' });

/** A Blob whose read fails, as a File moved or deleted after it was picked. */
function unreadable(): Blob {
  const blob = new Blob(['x']);
  blob.stream = () =>
    new ReadableStream({
      pull: (controller) => controller.error(new DOMException('gone', 'NotFoundError')),
    });
  return blob;
}

function webp(): Blob {
  const bytes = new Uint8Array(40);
  bytes.set(new TextEncoder().encode('RIFF'), 0);
  bytes.set(new TextEncoder().encode('WEBPVP8L'), 8);
  return new Blob([bytes]);
}

describe('createEngineClassifier', () => {
  it('sends the files’ bytes to the engine in order, and the rest where it belongs', async () => {
    const requests: ImageBytes[] = [];
    const fallbackFiles: Blob[] = [];
    const classify = createEngineClassifier<Blob>({
      classifyImages: engine(requests),
      fallback: async (files) => {
        fallbackFiles.push(...files);
        return files.map((): FileOutcome => ({
          prediction: {
            predicted: 3,
            confidence: 1,
            probabilities: [0, 0, 0, 1, 0, 0, 0, 0, 0, 0],
          },
          warnings: [],
          thumbnail: null,
        }));
      },
    });
    const lost = unreadable();
    const drawn = webp();
    const files = [png(0), lost, png(1), drawn, new Blob(['not a picture']), png(2)];
    const outcomes = await classify(files);

    expect(requests).toHaveLength(1);
    expect(requests[0]?.ends).toHaveLength(4); // three PNGs and the text file
    expect(fallbackFiles).toEqual([drawn]);
    const mnist = mnistTest();
    const expected = [mnist.label(0), null, mnist.label(1), 3, null, mnist.label(2)];
    outcomes.forEach((outcome, i) => {
      if (expected[i] === null) expect('error' in outcome, `file ${i}`).toBe(true);
      else expect('prediction' in outcome, `file ${i}`).toBe(true);
    });
    expect(outcomes[1]).toEqual({
      error: 'cannot read the file (moved, deleted or not permitted)',
    });
    expect(outcomes[4]).toEqual({ error: expect.stringMatching(/not an image/) });
    const first = outcomes[0] as Extract<FileOutcome, { prediction: unknown }>;
    expect(first.thumbnail).toHaveLength(784);
    expect(first.prediction.probabilities).toHaveLength(10);
    expect(first.prediction.confidence).toBe(Math.max(...first.prediction.probabilities));
  });

  it('cuts a chunk into requests the protocol accepts: 256 images, 32 MiB', async () => {
    const requests: ImageBytes[] = [];
    const classify = createEngineClassifier<Blob>({
      classifyImages: engine(requests),
      fallback: async () => [],
    });
    const outcomes = await classify(Array.from({ length: 300 }, (_, i) => png(i)));
    expect(requests.map((r) => r.ends.length)).toEqual([256, 44]);
    expect(outcomes.every((o) => 'prediction' in o)).toBe(true);

    // Two files of 20 MiB cannot share a request; one over the limit goes to the page.
    const big = (mib: number) => new Blob([new Uint8Array(mib * 1024 * 1024)]);
    const pageGot: number[] = [];
    const sizes: number[][] = [];
    const byBytes = createEngineClassifier<Blob>({
      classifyImages: async (images) => {
        sizes.push(Array.from(images.ends));
        return classifyImages((x) => forward(model, x), ImageBytesSchema.parse(images));
      },
      fallback: async (files) => {
        pageGot.push(...files.map((f) => f.size));
        return files.map(() => ({ error: 'decoded by the page' }));
      },
    });
    const huge = big(33);
    expect(huge.size).toBeGreaterThan(MAX_CLASSIFY_IMAGE_BYTES);
    const results = await byBytes([big(20), big(20), huge]);
    expect(sizes).toEqual([[20 * 1024 * 1024], [20 * 1024 * 1024]]);
    expect(pageGot).toEqual([huge.size]);
    expect(results[0]).toEqual({ error: expect.stringMatching(/not an image/) });
    expect(results[2]).toEqual({ error: 'decoded by the page' });
  });

  it('sends what it has read every 8 MiB, so a chunk of photos never sits in the page whole', async () => {
    const counts: number[] = [];
    const classify = createEngineClassifier<Blob>({
      classifyImages: async (images) => {
        counts.push(images.ends.length);
        return classifyImages((x) => forward(model, x), ImageBytesSchema.parse(images));
      },
      fallback: async () => [],
      readConcurrency: 1,
    });
    const photo = () => new Blob([new Uint8Array(3 * 1024 * 1024)]);
    const outcomes = await classify(Array.from({ length: 10 }, photo));
    expect(counts).toEqual([3, 3, 3, 1]);
    expect(outcomes).toHaveLength(10);
    expect(outcomes.every((o) => 'error' in o && /not an image/.test(o.error))).toBe(true);
  });

  it('fails the chunk when the engine cannot classify (no model), not file by file', async () => {
    const classify = createEngineClassifier<Blob>({
      classifyImages: () => Promise.reject(new Error('no model: train one or load one first')),
      fallback: async () => [],
    });
    await expect(classify([png(0), png(1)])).rejects.toThrow(/no model/);
  });

  it('asks before every read, so the page can pace them to its frames', async () => {
    let asked = 0;
    let reading = 0;
    let readingWhenAsked = -1;
    const classify = createEngineClassifier<Blob>({
      classifyImages: engine([]),
      fallback: async () => [],
      readConcurrency: 4,
      beforeRead: async () => {
        asked++;
        readingWhenAsked = Math.max(readingWhenAsked, reading);
      },
    });
    const files = Array.from({ length: 10 }, (_, i) => {
      const blob = png(i);
      const stream = blob.stream.bind(blob);
      blob.stream = () => {
        reading++;
        const s = stream();
        const reader = s.getReader();
        return new ReadableStream({
          async pull(controller) {
            const { done, value } = await reader.read();
            if (done) {
              reading--;
              controller.close();
            } else controller.enqueue(value);
          },
        });
      };
      return blob;
    });
    await classify(files);
    expect(asked).toBe(10);
    expect(readingWhenAsked).toBeLessThanOrEqual(3); // never more than 4 reads at once
  });
});
