// Cell selection → the gallery's sample indices and cards, from hand-made per-sample arrays.
import { describe, expect, it } from 'vitest';
import type { SampleDetails } from '../../../../src/shared/engine-protocol';
import {
  galleryIndices,
  galleryItem,
  galleryTitle,
  pageSpan,
  sameSelection,
  samplePredictions,
} from '../../../../src/renderer/src/features/evaluate/evaluate-gallery';

/** Six samples: label, prediction, top-3 (classes, probabilities). */
function details(): SampleDetails {
  const rows: Array<[number, number, number[], number[]]> = [
    [4, 9, [9, 4, 7], [0.6, 0.3, 0.1]],
    [4, 4, [4, 9, 1], [0.9, 0.05, 0.05]],
    [4, 9, [9, 4, 7], [0.95, 0.04, 0.01]],
    [7, 1, [1, 7, 2], [0.7, 0.2, 0.1]],
    [4, 9, [9, 7, 4], [0.6, 0.25, 0.15]],
    [2, 2, [2, 7, 1], [0.99, 0.005, 0.005]],
  ];
  return {
    labels: Int32Array.from(rows.map((r) => r[0])),
    predicted: Int32Array.from(rows.map((r) => r[1])),
    top3: Int32Array.from(rows.flatMap((r) => r[2])),
    top3Probabilities: Float32Array.from(rows.flatMap((r) => r[3])),
  };
}

describe('evaluate gallery', () => {
  it('reads each sample’s confidence from its first top-3 probability', () => {
    expect(Array.from(samplePredictions(details()).confidence)).toEqual(
      Array.from(Float32Array.from([0.6, 0.9, 0.95, 0.7, 0.6, 0.99])),
    );
  });

  it('selects a cell’s samples, most confidently wrong first, ties in dataset order', () => {
    const samples = samplePredictions(details());
    expect(galleryIndices(samples, { kind: 'cell', actual: 4, predicted: 9 })).toEqual([2, 0, 4]);
    expect(galleryIndices(samples, { kind: 'cell', actual: 4, predicted: 4 })).toEqual([1]);
    expect(galleryIndices(samples, { kind: 'cell', actual: 3, predicted: 3 })).toEqual([]);
  });

  it('selects every mistake across classes, most confident first', () => {
    expect(galleryIndices(samplePredictions(details()), { kind: 'wrong' })).toEqual([2, 3, 0, 4]);
  });

  it('gives a card’s labels, top 3 and index, and refuses an index outside the evaluation', () => {
    expect(galleryItem(details(), 4)).toEqual({
      index: 4,
      label: 4,
      predicted: 9,
      correct: false,
      top3: [
        { label: 9, probability: Math.fround(0.6) },
        { label: 7, probability: Math.fround(0.25) },
        { label: 4, probability: Math.fround(0.15) },
      ],
    });
    expect(galleryItem(details(), 5).correct).toBe(true);
    expect(() => galleryItem(details(), 6)).toThrow(/sample 6 is outside the evaluation \(0…5\)/);
  });

  it('names a gallery, with class names when there are', () => {
    expect(galleryTitle({ kind: 'cell', actual: 4, predicted: 9 })).toBe('True 4, predicted 9');
    expect(galleryTitle({ kind: 'cell', actual: 0, predicted: 1 }, ['cat', 'dog'])).toBe(
      'True cat, predicted dog',
    );
    expect(galleryTitle({ kind: 'wrong' })).toBe('Most confidently wrong');
  });

  it('tells selections apart', () => {
    const cell = { kind: 'cell', actual: 1, predicted: 2 } as const;
    expect(sameSelection(cell, { ...cell })).toBe(true);
    expect(sameSelection(cell, { ...cell, predicted: 3 })).toBe(false);
    expect(sameSelection(cell, { kind: 'wrong' })).toBe(false);
    expect(sameSelection({ kind: 'wrong' }, { kind: 'wrong' })).toBe(true);
    expect(sameSelection(null, null)).toBe(true);
    expect(sameSelection(null, cell)).toBe(false);
  });

  it('widens a window to whole pages, within the gallery', () => {
    expect(pageSpan(70, 130, 1000, 64)).toEqual({ start: 64, end: 192 });
    expect(pageSpan(0, 10, 1000, 64)).toEqual({ start: 0, end: 64 });
    expect(pageSpan(960, 1000, 1000, 64)).toEqual({ start: 960, end: 1000 });
    expect(pageSpan(5, 5, 1000, 64)).toEqual({ start: 0, end: 0 });
  });
});
