// A small grey image as an 8-bit BMP data URL, for an <img>: a list of a few hundred canvases
// costs the compositor a layer each (the Classify grid spent 10 ms per frame layerizing them,
// measured), and a BMP needs no encoder (a PNG encode per file was a third of the decoders'
// time). Pure: bytes in, string out.

/** `grey` is width × height bytes, row-major from the top, 0 = black. */
export function greyBmpDataUrl(grey: ArrayLike<number>, width: number, height: number): string {
  const rowBytes = (width + 3) & ~3; // rows are padded to 4 bytes
  const paletteBytes = 256 * 4;
  const offset = 14 + 40 + paletteBytes;
  const size = offset + rowBytes * height;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes[0] = 0x42; // 'B'
  bytes[1] = 0x4d; // 'M'
  view.setUint32(2, size, true);
  view.setUint32(10, offset, true);
  view.setUint32(14, 40, true); // BITMAPINFOHEADER
  view.setInt32(18, width, true);
  view.setInt32(22, height, true); // positive: rows stored bottom-up
  view.setUint16(26, 1, true);
  view.setUint16(28, 8, true); // 8 bits per pixel, palette-indexed
  view.setUint32(34, rowBytes * height, true);
  view.setUint32(46, 256, true);
  for (let g = 0; g < 256; g++) {
    const p = 54 + g * 4;
    bytes[p] = g;
    bytes[p + 1] = g;
    bytes[p + 2] = g;
  }
  for (let y = 0; y < height; y++) {
    const row = offset + (height - 1 - y) * rowBytes;
    for (let x = 0; x < width; x++) bytes[row + x] = grey[y * width + x] as number;
  }
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i] as number);
  return `data:image/bmp;base64,${btoa(binary)}`;
}
