// Reads an image's format and dimensions from its first bytes, so that absurd sizes and
// decompression bombs are refused before any pixel is decoded.

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'bmp' | 'webp';

export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
}

/** Largest side the studio decodes; anything larger is refused. */
export const MAX_IMAGE_SIDE = 10_000;
/** Largest pixel count decoded (guards against 10,000 × 10,000 bombs with tiny files). */
export const MAX_IMAGE_PIXELS = 40_000_000;

export class ImageError extends Error {}

function be16(b: Uint8Array, o: number): number {
  return ((b[o] as number) << 8) | (b[o + 1] as number);
}
function le16(b: Uint8Array, o: number): number {
  return (b[o] as number) | ((b[o + 1] as number) << 8);
}
function be32(b: Uint8Array, o: number): number {
  return (
    (((b[o] as number) << 24) >>> 0) +
    ((b[o + 1] as number) << 16) +
    ((b[o + 2] as number) << 8) +
    (b[o + 3] as number)
  );
}
function le32s(b: Uint8Array, o: number): number {
  return (
    (b[o] as number) |
    ((b[o + 1] as number) << 8) |
    ((b[o + 2] as number) << 16) |
    ((b[o + 3] as number) << 24)
  );
}

function jpegSize(b: Uint8Array): { width: number; height: number } | null {
  let o = 2;
  while (o + 9 < b.length) {
    if (b[o] !== 0xff) return null;
    const marker = b[o + 1] as number;
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      o += 2;
      continue;
    }
    const length = be16(b, o + 2);
    // SOF0..SOF15 except DHT (c4), JPG (c8), DAC (cc) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: be16(b, o + 5), width: be16(b, o + 7) };
    }
    o += 2 + length;
  }
  return null;
}

/** A WebP's signature (RIFF….WEBP): the one format the browser decodes and TensorFlow does not. */
export function isWebp(b: Uint8Array): boolean {
  return b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP';
}

/** Identifies the image and checks its declared size. Throws ImageError with the fault. */
export function readImageHeader(b: Uint8Array): ImageHeader {
  if (b.length === 0) throw new ImageError('file is empty (0 bytes)');
  let header: ImageHeader | null = null;
  if (b.length >= 24 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) {
    header = { format: 'png', width: be32(b, 16), height: be32(b, 20) };
  } else if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
    const size = jpegSize(b);
    if (!size) throw new ImageError('truncated or corrupt JPEG (no frame header found)');
    header = { format: 'jpeg', ...size };
  } else if (b.length >= 10 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46) {
    header = { format: 'gif', width: le16(b, 6), height: le16(b, 8) };
  } else if (b.length >= 26 && b[0] === 0x42 && b[1] === 0x4d) {
    header = { format: 'bmp', width: Math.abs(le32s(b, 18)), height: Math.abs(le32s(b, 22)) };
  } else if (
    b.length >= 30 &&
    String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' &&
    String.fromCharCode(...b.subarray(8, 12)) === 'WEBP'
  ) {
    const size = webpDimensions(b);
    if (!size) throw new ImageError('corrupt WebP (unrecognised header)');
    header = { format: 'webp', ...size };
  }
  if (!header) throw new ImageError('not an image (PNG, JPEG, BMP, GIF or WebP expected)');
  checkImageSize(header.width, header.height);
  return header;
}

const ascii = (b: Uint8Array, from: number, to: number) =>
  String.fromCharCode(...b.subarray(from, to));

/** Width and height of a WebP from its first 30 bytes; null when the header is not recognised. */
export function webpDimensions(b: Uint8Array): { width: number; height: number } | null {
  if (b.length < 30 || ascii(b, 0, 4) !== 'RIFF' || ascii(b, 8, 12) !== 'WEBP') return null;
  const chunk = ascii(b, 12, 16);
  const at = (i: number) => b[i] as number;
  if (chunk === 'VP8X') {
    // Canvas size minus one, 24-bit little endian.
    return {
      width: 1 + (at(24) | (at(25) << 8) | (at(26) << 16)),
      height: 1 + (at(27) | (at(28) << 8) | (at(29) << 16)),
    };
  }
  if (chunk === 'VP8 ') {
    // Key frame: 3-byte frame tag, start code 9d 01 2a, then 14-bit width and height.
    if (at(23) !== 0x9d || at(24) !== 0x01 || at(25) !== 0x2a) return null;
    return { width: (at(26) | (at(27) << 8)) & 0x3fff, height: (at(28) | (at(29) << 8)) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    // Signature 0x2f, then width-1 and height-1 as 14-bit fields, bit-packed.
    if (at(20) !== 0x2f) return null;
    const bits = at(21) | (at(22) << 8) | (at(23) << 16) | (at(24) << 24);
    return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >>> 14) & 0x3fff) };
  }
  return null;
}

/** Throws when decoding an image of this size should not even be tried. */
export function checkImageSize(width: number, height: number): void {
  if (width < 1 || height < 1) throw new ImageError(`invalid dimensions ${width}×${height}`);
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || width * height > MAX_IMAGE_PIXELS) {
    throw new ImageError(
      `dimensions ${width}×${height} exceed the limit of ${MAX_IMAGE_SIDE} px a side`,
    );
  }
}
