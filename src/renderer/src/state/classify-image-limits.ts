// Size checks the shared header reader leaves to the browser: WebP's dimensions (read here from
// its VP8/VP8L/VP8X header, so a WebP bomb is refused before decoding), and the decoded size.
import { ImageError, MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE } from '../../../shared/image-header';

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
