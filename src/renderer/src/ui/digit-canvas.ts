// A 28×28 grey image (dataset bytes: 0 background, 255 ink) as the RGBA bytes an ImageData
// holds, drawn as MNIST shows it: white ink on black. Pure, so the conversion is tested.

export function greyToRgba(pixels: Uint8Array): Uint8ClampedArray<ArrayBuffer> {
  const rgba = new Uint8ClampedArray(pixels.length * 4);
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i] as number;
    rgba[4 * i] = v;
    rgba[4 * i + 1] = v;
    rgba[4 * i + 2] = v;
    rgba[4 * i + 3] = 255;
  }
  return rgba;
}

/** The network's input for a dataset image: the bytes scaled to [0,1], row-major. */
export function greyToInput(pixels: Uint8Array): Float32Array {
  const input = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) input[i] = (pixels[i] as number) / 255;
  return input;
}
