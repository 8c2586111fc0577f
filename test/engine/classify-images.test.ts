// The Classify view's files sent as bytes get the answers the CLI gets for the same files on
// disk (one decoder, one preprocessing), a bad image becomes its own error, and no tensor stays.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyFiles } from '../../src/engine/classify-files';
import { classifyImages, type Forward } from '../../src/engine/classify-images';
import { decodeAndPreprocess } from '../../src/engine/image-files';
import { createModel, forward } from '../../src/engine/models';
import { ImageBytesSchema, packImageBytes } from '../../src/shared/engine-protocol';
import { pixelsToGrey } from '../../src/shared/preprocess';
import { TrainingConfigSchema } from '../../src/shared/training-config';
import { mnistTest } from '../e2e/helpers/draw-classify-page';
import { tempDir } from '../helpers/fixtures';

let model: tf.LayersModel;
let run: Forward;

beforeAll(() => {
  model = createModel(TrainingConfigSchema.parse({}));
  run = (x) => forward(model, x);
});
afterAll(() => model.dispose());

async function digitPng(i: number): Promise<Uint8Array> {
  const mnist = mnistTest();
  const t = tf.tensor3d(mnist.image(i), [28, 28, 1], 'int32');
  try {
    return await tf.node.encodePng(t);
  } finally {
    t.dispose();
  }
}

describe('classifyImages', () => {
  it('answers as classify-files does for the same files, error rows included', async () => {
    const good = await Promise.all([0, 1, 2].map(digitPng));
    const jpeg = await tf.node.encodeJpeg(
      tf.tensor3d(mnistTest().image(3), [28, 28, 1], 'int32'),
      'grayscale',
      90,
    );
    const files: Array<[string, Uint8Array]> = [
      ['a.png', good[0] as Uint8Array],
      ['notes.png', new TextEncoder().encode('not a picture')],
      ['b.png', good[1] as Uint8Array],
      ['empty.png', new Uint8Array(0)],
      ['truncated.png', (good[2] as Uint8Array).subarray(0, 40)],
      ['d.jpg', jpeg],
      ['c.png', good[2] as Uint8Array],
    ];
    const dir = tempDir();
    for (const [name, bytes] of files) writeFileSync(path.join(dir, name), bytes);

    const fromDisk = await classifyFiles(
      run,
      files.map(([name]) => path.join(dir, name)),
    );
    const images = ImageBytesSchema.parse(packImageBytes(files.map(([, bytes]) => bytes)));
    const sent = classifyImages(run, images);

    expect(sent.predicted).toHaveLength(files.length);
    fromDisk.forEach((row, i) => {
      expect(sent.errors[i], files[i]?.[0]).toBe(row.error);
      expect(sent.warnings[i]).toEqual(row.warnings);
      if (row.error !== null) {
        expect(sent.predicted[i]).toBe(-1);
        expect(sent.probabilities.subarray(10 * i, 10 * i + 10).every((p) => p === 0)).toBe(true);
        return;
      }
      expect(sent.predicted[i]).toBe(row.predicted);
      expect(Array.from(sent.probabilities.subarray(10 * i, 10 * i + 10))).toEqual(
        row.probabilities,
      );
      // The thumbnail is the network's input as grey bytes.
      const pixels = decodeAndPreprocess((files[i] as [string, Uint8Array])[1]).pixels;
      expect(sent.thumbnails.subarray(784 * i, 784 * i + 784)).toEqual(pixelsToGrey(pixels));
    });
    expect(sent.errors.filter((e) => e !== null)).toEqual([
      expect.stringMatching(/not an image/),
      expect.stringMatching(/empty \(0 bytes\)/),
      expect.stringMatching(/corrupt or truncated PNG/),
    ]);
  });

  it('refuses WebP by name (the page decodes those) and leaves no tensor behind', async () => {
    // A WebP signature with a VP8L header: recognised, and not something TensorFlow decodes.
    const webp = new Uint8Array(40);
    webp.set(new TextEncoder().encode('RIFF'), 0);
    webp.set(new TextEncoder().encode('WEBPVP8L'), 8);
    webp[20] = 0x2f;
    const png = await digitPng(5);
    classifyImages(run, packImageBytes([png])); // builds what a first call builds
    const before = tf.memory().numTensors;
    const result = classifyImages(run, packImageBytes([webp, png]));
    expect(tf.memory().numTensors).toBe(before);
    expect(result.errors[0]).toMatch(/WebP cannot be decoded by the engine/);
    expect(result.predicted[1]).toBeGreaterThanOrEqual(0);
  });
});

describe('ImageBytesSchema', () => {
  const bytes = new Uint8Array(10);
  const fault = (value: unknown) => {
    const parsed = ImageBytesSchema.safeParse(value);
    return parsed.success ? null : parsed.error.issues.map((i) => i.message).join('; ');
  };

  it('takes files back to back, empty ones included', () => {
    const packed = packImageBytes([Uint8Array.of(1, 2), new Uint8Array(0), Uint8Array.of(3)]);
    expect(Array.from(packed.ends)).toEqual([2, 2, 3]);
    expect(Array.from(packed.bytes)).toEqual([1, 2, 3]);
    expect(fault(packed)).toBeNull();
  });

  it('names what is wrong with a malformed request', () => {
    expect(fault({ bytes, ends: Int32Array.of() })).toMatch(/no images/);
    expect(fault({ bytes, ends: Int32Array.of(6, 4, 10) })).toMatch(
      /image 1 ends at 4, before it starts \(6\)/,
    );
    expect(fault({ bytes, ends: Int32Array.of(-1, 10) })).toMatch(/image 0 ends at -1/);
    expect(fault({ bytes, ends: Int32Array.of(4, 8) })).toMatch(
      /the images end at byte 8, but 10 bytes were sent/,
    );
    expect(fault({ bytes, ends: new Int32Array(257).fill(10) })).toMatch(
      /257 images is over the limit of 256/,
    );
    expect(fault({ bytes: [1, 2], ends: Int32Array.of(2) })).toMatch(/bytes must be a Uint8Array/);
    expect(fault({ bytes, ends: [10] })).toMatch(/ends must be an Int32Array/);
    expect(fault({ bytes, ends: Int32Array.of(10), extra: 1 })).toMatch(/extra/);
  });
});
