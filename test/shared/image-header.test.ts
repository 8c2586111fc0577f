import { describe, expect, it } from 'vitest';
import { readImageHeader } from '../../src/shared/image-header';

function png(width: number, height: number): Uint8Array {
  const b = new Uint8Array(33);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(b.buffer).setUint32(16, width);
  new DataView(b.buffer).setUint32(20, height);
  return b;
}

describe('readImageHeader', () => {
  it('reads PNG, GIF and BMP sizes', () => {
    expect(readImageHeader(png(28, 30))).toEqual({ format: 'png', width: 28, height: 30 });
    const gif = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 40, 0, 20, 0]);
    expect(readImageHeader(gif)).toMatchObject({ format: 'gif', width: 40, height: 20 });
    const bmp = new Uint8Array(54);
    bmp.set([0x42, 0x4d]);
    new DataView(bmp.buffer).setInt32(18, 64, true);
    new DataView(bmp.buffer).setInt32(22, -32, true); // top-down BMPs have negative heights
    expect(readImageHeader(bmp)).toMatchObject({ format: 'bmp', width: 64, height: 32 });
  });

  it('reads WebP sizes from the header and refuses WebP bombs', () => {
    const vp8x = new Uint8Array(30);
    vp8x.set(new TextEncoder().encode('RIFF'), 0);
    vp8x.set(new TextEncoder().encode('WEBPVP8X'), 8);
    vp8x.set([0x1f, 0x4e, 0x00, 0x1f, 0x4e, 0x00], 24); // 20,000 × 20,000
    expect(() => readImageHeader(vp8x)).toThrow(/exceed the limit/);
    vp8x.set([27, 0, 0, 27, 0, 0], 24);
    expect(readImageHeader(vp8x)).toEqual({ format: 'webp', width: 28, height: 28 });
  });

  it('refuses empty files, non-images, truncated JPEGs and absurd sizes', () => {
    expect(() => readImageHeader(new Uint8Array(0))).toThrow(/empty/);
    expect(() => readImageHeader(new TextEncoder().encode('hello, world'))).toThrow(/not an image/);
    expect(() => readImageHeader(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16]))).toThrow(
      /truncated or corrupt JPEG/,
    );
    expect(() => readImageHeader(png(20_000, 10))).toThrow(/exceed the limit/);
    expect(() => readImageHeader(png(9_000, 9_000))).toThrow(/exceed the limit/);
    expect(() => readImageHeader(png(0, 10))).toThrow(/invalid dimensions/);
  });
});
