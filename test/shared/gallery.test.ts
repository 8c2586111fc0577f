import { describe, expect, it } from 'vitest';
import { cellGallery, mostConfidentlyWrong } from '../../src/shared/gallery';

// index:        0     1     2     3     4     5     6     7
const samples = {
  labels: Int32Array.from([3, 3, 5, 3, 8, 3, 5, 3]),
  predicted: Int32Array.from([5, 3, 5, 5, 3, 5, 3, 5]),
  confidence: Float32Array.from([0.6, 0.99, 0.9, 0.95, 0.97, 0.6, 0.5, 0.7]),
};

describe('cellGallery', () => {
  it("lists one cell's images, most confidently wrong first", () => {
    // true 3 predicted 5: indices 0 (0.6), 3 (0.95), 5 (0.6), 7 (0.7)
    expect(cellGallery(samples, 3, 5)).toEqual([3, 7, 0, 5]);
  });

  it('breaks ties in dataset order', () => {
    const tied = { ...samples, confidence: new Float32Array(8).fill(0.5) };
    expect(cellGallery(tied, 3, 5)).toEqual([0, 3, 5, 7]);
  });

  it('a diagonal cell holds the correct ones; an empty cell is empty', () => {
    expect(cellGallery(samples, 3, 3)).toEqual([1]);
    expect(cellGallery(samples, 8, 8)).toEqual([]);
  });
});

describe('mostConfidentlyWrong', () => {
  it('ranks every wrong prediction across classes by confidence', () => {
    // wrong: 0 (.6), 3 (.95), 4 (.97), 5 (.6), 6 (.5), 7 (.7); right: 1, 2
    expect(mostConfidentlyWrong(samples)).toEqual([4, 3, 7, 0, 5, 6]);
    expect(mostConfidentlyWrong(samples, 2)).toEqual([4, 3]);
  });
});
