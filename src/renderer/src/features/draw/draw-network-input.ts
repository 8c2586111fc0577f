// The 28×28 image the network sees, in the two forms the UI needs: numbers for the predict
// request, and pixels to show magnified on screen.

/**
 * Pixel values as sent to the engine, rounded to 4 decimals. The engine reads them as float32;
 * 1e-4 is far finer than the 1/255 steps of MNIST itself, and the JSON of a 64-image request
 * shrinks to about a third (long decimals were most of its bytes).
 */
export function toWireRow(pixels: Float32Array): number[] {
  const row = new Array<number>(pixels.length);
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i] as number;
    row[i] = v <= 0 ? 0 : v >= 1 ? 1 : Math.round(v * 10_000) / 10_000;
  }
  return row;
}

/** Gray RGBA bytes of [0,1] pixels (white ink on black, as the network sees it). */
export function pixelsToRgba(pixels: Float32Array): Uint8ClampedArray<ArrayBuffer> {
  const rgba = new Uint8ClampedArray(pixels.length * 4);
  for (let i = 0; i < pixels.length; i++) {
    const v = Math.round((pixels[i] as number) * 255);
    rgba[i * 4] = v;
    rgba[i * 4 + 1] = v;
    rgba[i * 4 + 2] = v;
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}
