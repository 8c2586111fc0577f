import { describe, expect, it } from 'vitest';
import {
  cellDescription,
  confusionView,
  topConfusions,
} from '../../../src/renderer/src/ui/confusion-heat';

const matrix = [
  [8, 2, 0],
  [1, 9, 0],
  [0, 0, 0],
];

describe('confusion matrix view', () => {
  it('counts totals, recall and precision', () => {
    const view = confusionView(matrix);
    expect(view.classes).toBe(3);
    expect(view.total).toBe(20);
    expect(view.correct).toBe(17);
    expect(view.rows.map((r) => r.total)).toEqual([10, 10, 0]);
    expect(view.rows.map((r) => r.recall)).toEqual([0.8, 0.9, null]);
    expect(view.columnTotals).toEqual([9, 11, 0]);
    expect(view.precision[0]).toBeCloseTo(8 / 9);
    expect(view.precision[2]).toBeNull();
  });

  it('heats cells by their share of the row, square-rooted so mistakes show', () => {
    const [first] = confusionView(matrix).rows;
    expect(first?.cells.map((c) => c.share)).toEqual([0.8, 0.2, 0]);
    expect(first?.cells[1]?.heat).toBeCloseTo(Math.sqrt(0.2));
    expect(first?.cells.map((c) => c.diagonal)).toEqual([true, false, false]);
    // An empty row has no share to show.
    expect(confusionView(matrix).rows[2]?.cells.every((c) => c.heat === 0)).toBe(true);
  });

  it('rejects matrices that are not square or hold bad counts', () => {
    expect(() => confusionView([[1, 2]])).toThrow(/not square/);
    expect(() => confusionView([[-1]])).toThrow(/bad count/);
    expect(() => confusionView([[0.5]])).toThrow(/bad count/);
  });

  it('lists the most frequent mistakes', () => {
    expect(topConfusions(matrix)).toEqual([
      { actual: 0, predicted: 1, count: 2 },
      { actual: 1, predicted: 0, count: 1 },
    ]);
    expect(topConfusions(matrix, 1)).toHaveLength(1);
  });

  it('describes a cell for screen readers', () => {
    const cell = confusionView(matrix).rows[0]?.cells[1];
    expect(cell && cellDescription(cell)).toBe('true 0, predicted 1: 2 images, 20.0% of true 0s');
    const one = confusionView([
      [1, 0],
      [0, 0],
    ]).rows[0]?.cells[0];
    expect(one && cellDescription(one, ['cat', 'dog'])).toBe(
      'true cat, predicted cat: 1 image, 100.0% of true cats',
    );
  });
});
