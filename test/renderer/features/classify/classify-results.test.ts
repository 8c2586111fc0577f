import { describe, expect, it } from 'vitest';
import { classificationCsv } from '../../../../src/shared/csv';
import {
  DEFAULT_VIEW,
  countResults,
  csvFileName,
  selectRows,
  toFileClassifications,
  type ClassifyRow,
} from '../../../../src/renderer/src/features/classify/classify-results';

function good(id: number, predicted: number, confidence: number, warnings: string[] = []) {
  const probabilities = new Array<number>(10).fill((1 - confidence) / 9);
  probabilities[predicted] = confidence;
  return {
    id,
    path: `digits/${id}.png`,
    predicted,
    confidence,
    probabilities,
    error: null,
    warnings,
    thumbnail: 'data:image/png;base64,AAAA',
  } satisfies ClassifyRow;
}

function bad(id: number, error: string): ClassifyRow {
  return {
    id,
    path: `digits/${id}.png`,
    predicted: null,
    confidence: null,
    probabilities: null,
    error,
    warnings: [],
    thumbnail: null,
  };
}

const rows: ClassifyRow[] = [
  good(0, 7, 0.99),
  good(1, 3, 0.55),
  bad(2, 'not an image'),
  good(3, 7, 0.8, ['very low contrast']),
  good(4, 1, 0.97),
  bad(5, 'file is empty (0 bytes)'),
];
const ids = (selected: ClassifyRow[]) => selected.map((r) => r.id);

describe('selectRows', () => {
  it('keeps file order by default', () => {
    expect(ids(selectRows(rows, DEFAULT_VIEW))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('filters by predicted digit and by errors', () => {
    expect(ids(selectRows(rows, { ...DEFAULT_VIEW, classFilter: 7 }))).toEqual([0, 3]);
    expect(ids(selectRows(rows, { ...DEFAULT_VIEW, classFilter: 'errors' }))).toEqual([2, 5]);
    expect(ids(selectRows(rows, { ...DEFAULT_VIEW, classFilter: 4 }))).toEqual([]);
  });

  it('filters by low confidence with the chosen threshold (failed files are not "low")', () => {
    const low = { ...DEFAULT_VIEW, lowConfidenceOnly: true };
    expect(ids(selectRows(rows, low))).toEqual([1, 3]);
    expect(ids(selectRows(rows, { ...low, threshold: 0.6 }))).toEqual([1]);
    expect(ids(selectRows(rows, { ...low, classFilter: 7 }))).toEqual([3]);
  });

  it('sorts by confidence either way, failed files last', () => {
    expect(ids(selectRows(rows, { ...DEFAULT_VIEW, sort: 'confidence-asc' }))).toEqual([
      1, 3, 4, 0, 2, 5,
    ]);
    expect(ids(selectRows(rows, { ...DEFAULT_VIEW, sort: 'confidence-desc' }))).toEqual([
      0, 4, 3, 1, 2, 5,
    ]);
  });

  it('does not reorder the rows it was given', () => {
    selectRows(rows, { ...DEFAULT_VIEW, sort: 'confidence-asc' });
    expect(ids(rows)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('countResults', () => {
  it('counts files per digit, errors, low confidence and warnings', () => {
    const c = countResults(rows, 0.9);
    expect(c).toMatchObject({ total: 6, classified: 4, errors: 2, low: 2, warned: 1 });
    expect(c.byDigit).toEqual([0, 1, 0, 1, 0, 0, 0, 2, 0, 0]);
  });
});

describe('CSV export', () => {
  it('writes the shared CSV: one line per file, errors and warnings in the error column', () => {
    const csv = classificationCsv(toFileClassifications(rows));
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe('path,predicted,confidence,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9,error');
    expect(lines).toHaveLength(7);
    expect(lines[1]).toMatch(/^digits\/0\.png,7,0\.990000,/);
    expect(lines[1]?.endsWith(',')).toBe(true);
    expect(lines[3]).toBe('digits/2.png,,,,,,,,,,,,,not an image');
    expect(lines[4]?.endsWith(',very low contrast')).toBe(true);
    expect(csv).not.toMatch(/thumbnail|data:image/);
  });

  it('names the file by date and time', () => {
    expect(csvFileName(new Date(2025, 0, 31, 14, 5))).toBe(
      'lenet-classification-2025-01-31-1405.csv',
    );
  });
});
