import { describe, expect, it } from 'vitest';
import { checkImageSize, webpDimensions } from '../../src/shared/image-header';

function riff(chunk: string, payload: number[]): Uint8Array {
  const bytes = new Uint8Array(30 + 8);
  bytes.set(
    [...'RIFF'].map((c) => c.charCodeAt(0)),
    0,
  );
  bytes.set(
    [...'WEBP'].map((c) => c.charCodeAt(0)),
    8,
  );
  bytes.set(
    [...chunk].map((c) => c.charCodeAt(0)),
    12,
  );
  bytes.set(payload, 20);
  return bytes;
}

describe('webpDimensions', () => {
  it('reads the extended (VP8X) canvas size', () => {
    // flags + 3 reserved bytes, then width-1 and height-1 as 24-bit little endian.
    const w = 20_000 - 1;
    const h = 300 - 1;
    const b = riff('VP8X', [0, 0, 0, 0, w & 255, (w >> 8) & 255, w >> 16, h & 255, h >> 8, 0]);
    expect(webpDimensions(b)).toEqual({ width: 20_000, height: 300 });
  });

  it('reads a lossy (VP8) key frame size', () => {
    const b = riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, 640 & 255, 640 >> 8, 480 & 255, 480 >> 8]);
    expect(webpDimensions(b)).toEqual({ width: 640, height: 480 });
  });

  it('reads a lossless (VP8L) size', () => {
    const bits = (28 - 1) | ((28 - 1) << 14);
    const b = riff('VP8L', [0x2f, bits & 255, (bits >> 8) & 255, (bits >> 16) & 255, bits >>> 24]);
    expect(webpDimensions(b)).toEqual({ width: 28, height: 28 });
  });

  it('returns null for anything else', () => {
    expect(webpDimensions(new Uint8Array(10))).toBeNull();
    expect(webpDimensions(riff('VP8 ', [0, 0, 0, 1, 2, 3]))).toBeNull();
    expect(webpDimensions(riff('ABCD', []))).toBeNull();
  });
});

describe('checkImageSize', () => {
  it('refuses absurd and empty sizes', () => {
    expect(() => checkImageSize(28, 28)).not.toThrow();
    expect(() => checkImageSize(10_000, 4_000)).not.toThrow();
    expect(() => checkImageSize(10_001, 10)).toThrow(/exceed the limit of 10000 px/);
    expect(() => checkImageSize(9_000, 9_000)).toThrow(/exceed/); // a pixel-count bomb
    expect(() => checkImageSize(0, 5)).toThrow(/invalid dimensions/);
  });
});
