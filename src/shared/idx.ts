// IDX file format (LeCun's MNIST container): validation and parsing on plain bytes.
// Everything is checked against the header and the byte length BEFORE anything is allocated,
// so a corrupt or hostile header cannot make us reserve gigabytes.

/** Type codes of the IDX format; the studio reads unsigned bytes (what MNIST uses). */
const IDX_TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'short',
  0x0c: 'int',
  0x0d: 'float',
  0x0e: 'double',
};
const IDX_UBYTE = 0x08;

/** No single IDX file the studio reads may claim more than this many data bytes (1 GiB). */
export const MAX_IDX_DATA_BYTES = 1 << 30;

export class IdxError extends Error {
  constructor(
    readonly file: string,
    readonly fault: string,
  ) {
    super(`${file}: ${fault}`);
    this.name = 'IdxError';
  }
}

export interface IdxHeader {
  dims: number[];
  headerBytes: number;
  dataBytes: number;
}

export interface IdxExpectation {
  /** 1 for labels, 3 for images. */
  rank: number;
  /** Required sizes of the dimensions after the first (e.g. [28, 28] for MNIST images). */
  itemShape?: number[];
}

/**
 * Reads and checks the header: magic, type, rank, dimensions, and the total size implied by
 * them. `fileBytes` is the length of the (decompressed) file, known before reading the body.
 */
export function parseIdxHeader(
  head: Uint8Array,
  fileBytes: number,
  file: string,
  expect: IdxExpectation,
): IdxHeader {
  if (fileBytes < 4 || head.length < 4) {
    throw new IdxError(file, `too short to be an IDX file (${fileBytes} bytes)`);
  }
  if (head[0] !== 0 || head[1] !== 0) {
    // Not quoted: the first bytes of whatever file was picked are nobody's business.
    throw new IdxError(
      file,
      'wrong magic number: not an IDX file (an IDX file starts with 0x0000)',
    );
  }
  const type = head[2] as number;
  const rank = head[3] as number;
  if (type !== IDX_UBYTE) {
    const name = IDX_TYPE_NAMES[type];
    throw new IdxError(
      file,
      name
        ? `data type ${name} (0x${type.toString(16)}) is not supported; expected unsigned byte (0x08)`
        : 'unknown data type in the magic number',
    );
  }
  if (rank !== expect.rank) {
    throw new IdxError(file, `has ${rank} dimension(s), expected ${expect.rank}`);
  }
  const headerBytes = 4 + 4 * rank;
  if (fileBytes < headerBytes || head.length < headerBytes) {
    throw new IdxError(
      file,
      `truncated header: ${fileBytes} bytes, the header needs ${headerBytes}`,
    );
  }
  const view = new DataView(head.buffer, head.byteOffset, headerBytes);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));

  if (expect.itemShape) {
    const itemDims = dims.slice(1);
    if (itemDims.join('x') !== expect.itemShape.join('x')) {
      throw new IdxError(
        file,
        `items are ${itemDims.join('×')}, expected ${expect.itemShape.join('×')}`,
      );
    }
  }
  // Multiply in floating point: 32-bit dimensions cannot overflow a double's exact range
  // before we compare against the limit.
  let dataBytes = 1;
  for (const d of dims) dataBytes *= d;
  if (dataBytes > MAX_IDX_DATA_BYTES) {
    throw new IdxError(
      file,
      `absurd dimensions ${dims.join('×')} (${dataBytes.toExponential(2)} bytes); refusing to allocate`,
    );
  }
  const expected = headerBytes + dataBytes;
  if (fileBytes < expected) {
    throw new IdxError(
      file,
      `truncated: ${fileBytes} bytes, but dimensions ${dims.join('×')} need ${expected}`,
    );
  }
  if (fileBytes > expected) {
    throw new IdxError(
      file,
      `${fileBytes - expected} unexpected trailing bytes after ${dims.join('×')} items`,
    );
  }
  return { dims, headerBytes, dataBytes };
}

/** Checks every label is a class index below `numClasses`. */
export function checkLabels(labels: Uint8Array, numClasses: number, file: string): void {
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as number;
    if (label >= numClasses) {
      throw new IdxError(file, `label ${label} at index ${i} is out of range 0–${numClasses - 1}`);
    }
  }
}

/** Images and labels of one split must describe the same number of samples. */
export function checkCounts(
  imageCount: number,
  labelCount: number,
  imagesFile: string,
  labelsFile: string,
): void {
  if (imageCount !== labelCount) {
    throw new IdxError(
      imagesFile,
      `holds ${imageCount} images but ${labelsFile} holds ${labelCount} labels`,
    );
  }
}

/** Builds an IDX file in memory (tests, fixtures, exports of small sets). */
export function encodeIdx(dims: number[], data: Uint8Array): Uint8Array {
  const headerBytes = 4 + 4 * dims.length;
  const out = new Uint8Array(headerBytes + data.length);
  const view = new DataView(out.buffer);
  out[2] = IDX_UBYTE;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, headerBytes);
  return out;
}
