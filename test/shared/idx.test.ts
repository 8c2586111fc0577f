import { describe, expect, it } from 'vitest';
import {
  checkCounts,
  checkLabels,
  encodeIdx,
  IdxError,
  parseIdxHeader,
} from '../../src/shared/idx';

const images = { rank: 3, itemShape: [28, 28] };

describe('parseIdxHeader', () => {
  it('reads the dimensions of a valid image file', () => {
    const bytes = encodeIdx([2, 28, 28], new Uint8Array(2 * 784));
    const header = parseIdxHeader(bytes, bytes.length, 'a.idx', images);
    expect(header).toEqual({ dims: [2, 28, 28], headerBytes: 16, dataBytes: 1568 });
  });

  it('rejects a wrong magic number, naming the file', () => {
    const bytes = encodeIdx([1], new Uint8Array(1));
    bytes[0] = 0x1f;
    expect(() => parseIdxHeader(bytes, bytes.length, 'labels.idx', { rank: 1 })).toThrow(
      /labels\.idx: wrong magic number: not an IDX file/,
    );
    // The file's own bytes are never quoted.
    expect(() => parseIdxHeader(bytes, bytes.length, 'labels.idx', { rank: 1 })).not.toThrow(/1f/);
  });

  it('rejects unsupported data types and wrong ranks', () => {
    const bytes = encodeIdx([1], new Uint8Array(1));
    bytes[2] = 0x0d;
    expect(() => parseIdxHeader(bytes, bytes.length, 'f', { rank: 1 })).toThrow(/data type float/);
    const imagesAsLabels = encodeIdx([1, 28, 28], new Uint8Array(784));
    expect(() => parseIdxHeader(imagesAsLabels, imagesAsLabels.length, 'f', { rank: 1 })).toThrow(
      /has 3 dimension\(s\), expected 1/,
    );
  });

  it('rejects items of the wrong shape', () => {
    const bytes = encodeIdx([1, 32, 32], new Uint8Array(1024));
    expect(() => parseIdxHeader(bytes, bytes.length, 'f', images)).toThrow(
      /items are 32×32, expected 28×28/,
    );
  });

  it('rejects a truncated file and trailing garbage', () => {
    const bytes = encodeIdx([3, 28, 28], new Uint8Array(3 * 784));
    expect(() => parseIdxHeader(bytes, bytes.length - 10, 'f', images)).toThrow(
      /truncated: 2358 bytes/,
    );
    expect(() => parseIdxHeader(bytes, bytes.length + 5, 'f', images)).toThrow(
      /5 unexpected trailing bytes/,
    );
    expect(() => parseIdxHeader(bytes.subarray(0, 6), 6, 'f', images)).toThrow(/truncated header/);
  });

  it('refuses absurd dimensions without allocating them', () => {
    const bytes = encodeIdx([0xffffffff, 28, 28], new Uint8Array(0));
    expect(() => parseIdxHeader(bytes, bytes.length, 'huge', images)).toThrow(/absurd dimensions/);
  });
});

describe('label and count checks', () => {
  it('rejects a label out of range with its index', () => {
    expect(() => checkLabels(Uint8Array.from([1, 9, 10]), 10, 'l')).toThrow(
      new IdxError('l', 'label 10 at index 2 is out of range 0–9'),
    );
    expect(() => checkLabels(Uint8Array.from([0, 9]), 10, 'l')).not.toThrow();
  });

  it('rejects images and labels that disagree on the count', () => {
    expect(() => checkCounts(5, 4, 'img', 'lab')).toThrow(
      /img: holds 5 images but lab holds 4 labels/,
    );
  });
});
