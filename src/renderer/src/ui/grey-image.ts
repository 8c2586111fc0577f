// A small grey image as the canvases draw it (feature maps, kernels, dataset thumbnails). Pure.

/** `rgba` is width × height × 4 bytes, row-major, opaque grey. */
export interface GreyImage {
  width: number;
  height: number;
  rgba: Uint8ClampedArray<ArrayBuffer>;
}

/** A grey image of `width × height` bytes (0 = black) starting at `offset` of `bytes`. */
export function greyFromBytes(
  bytes: ArrayLike<number>,
  width: number,
  height: number,
  offset = 0,
): GreyImage {
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    const g = bytes[offset + p] as number;
    rgba[p * 4] = g;
    rgba[p * 4 + 1] = g;
    rgba[p * 4 + 2] = g;
    rgba[p * 4 + 3] = 255;
  }
  return { width, height, rgba };
}
