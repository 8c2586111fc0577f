// The Classify grid's thumbnails as 8-bit BMPs: a valid header, a grey palette, rows bottom-up
// and padded to 4 bytes, each pixel the grey byte it was given.
import { describe, expect, it } from 'vitest';
import { greyBmpDataUrl } from '../../../src/renderer/src/ui/grey-bmp';

function bytesOf(url: string): Buffer {
  expect(url.startsWith('data:image/bmp;base64,')).toBe(true);
  return Buffer.from(url.slice('data:image/bmp;base64,'.length), 'base64');
}

describe('greyBmpDataUrl', () => {
  it('writes a 28×28 grey image a browser can decode', () => {
    const grey = Uint8Array.from({ length: 28 * 28 }, (_, i) => i % 256);
    const bmp = bytesOf(greyBmpDataUrl(grey, 28, 28));
    expect(bmp.toString('latin1', 0, 2)).toBe('BM');
    expect(bmp.readUInt32LE(2)).toBe(bmp.length);
    const offset = bmp.readUInt32LE(10);
    expect(bmp.readInt32LE(18)).toBe(28);
    expect(bmp.readInt32LE(22)).toBe(28);
    expect(bmp.readUInt16LE(28)).toBe(8);
    // Palette entry g is grey g (B, G, R, 0).
    expect([...bmp.subarray(54 + 200 * 4, 54 + 201 * 4)]).toEqual([200, 200, 200, 0]);
    // The top row of the image is the last row of the file.
    expect(bmp[offset + 27 * 28 + 5]).toBe(grey[5]);
    expect(bmp[offset + 0 * 28 + 5]).toBe(grey[27 * 28 + 5]);
  });

  it('pads rows to 4 bytes', () => {
    const bmp = bytesOf(greyBmpDataUrl([10, 20, 30, 40, 50, 60], 3, 2));
    const offset = bmp.readUInt32LE(10);
    expect(bmp.length - offset).toBe(8);
    expect([...bmp.subarray(offset, offset + 8)]).toEqual([40, 50, 60, 0, 10, 20, 30, 0]);
  });
});
