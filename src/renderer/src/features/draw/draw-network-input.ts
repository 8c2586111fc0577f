// The 28×28 image the network sees, in the two forms the UI needs: the binary batch of a
// predict request, and pixels to show magnified on screen.
import { packPixelBatch } from '../../../../shared/engine-protocol';

/**
 * Images as one predict request: a Float32Array of n×784 values, clamped to [0,1] (the engine
 * refuses anything outside; preprocessing can overshoot by a rounding error). It travels as
 * bytes over IPC and the WebSocket's binary frames: no numbers printed and parsed.
 */
export function toWireBatch(images: readonly Float32Array[]): Float32Array {
  const batch = packPixelBatch(images);
  for (let i = 0; i < batch.length; i++) {
    const v = batch[i] as number;
    if (!(v > 0)) batch[i] = 0;
    else if (v > 1) batch[i] = 1;
  }
  return batch;
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
