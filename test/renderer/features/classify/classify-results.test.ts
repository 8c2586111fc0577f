import { describe, expect, it } from 'vitest';
import { classificationCsv } from '../../../../src/shared/csv';
import {
  DEFAULT_VIEW,
  batchConfusion,
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
    thumbnail: new Uint8Array(784).fill(7),
    label: null,
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
    label: null,
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
    expect(lines[0]).toBe(
      'path,predicted,confidence,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9,error,label,correct,predicted_name,label_name',
    );
    expect(lines).toHaveLength(7);
    expect(lines[1]).toMatch(/^digits\/0\.png,7,0\.990000,/);
    expect(lines[1]?.endsWith(',,,,7,')).toBe(true);
    expect(lines[3]).toBe('digits/2.png,,,,,,,,,,,,,not an image,,,,');
    expect(lines[4]?.endsWith(',very low contrast,,,7,')).toBe(true);
    expect(csv).not.toMatch(/thumbnail|7,7,7,7/);
  });

  it('names the file by date and time', () => {
    expect(csvFileName(new Date(2025, 0, 31, 14, 5))).toBe(
      'lenet-classification-2025-01-31-1405.csv',
    );
  });
});

describe('files in class-named folders', () => {
  const labelled: ClassifyRow[] = [
    { ...good(0, 7, 0.99), path: 'set/7/a.png', label: 7 },
    { ...good(1, 1, 0.9), path: 'set/7/b.png', label: 7 },
    { ...good(2, 3, 0.9), path: 'set/3/c.png', label: 3 },
    { ...bad(3, 'not an image'), path: 'set/3/d.png', label: 3 },
    good(4, 5, 0.9),
  ];

  it('scores them against their folder: accuracy, wrong answers, the confusion matrix', () => {
    const c = countResults(labelled, 0.5);
    expect(c).toMatchObject({ labelled: 3, correct: 2 });
    expect(c.accuracy).toBeCloseTo(2 / 3, 10);
    expect(ids(selectRows(labelled, { ...DEFAULT_VIEW, classFilter: 'wrong' }))).toEqual([1]);
    const m = batchConfusion(labelled);
    expect(m[7]![7]).toBe(1);
    expect(m[7]![1]).toBe(1);
    expect(m[3]![3]).toBe(1);
    expect(m.flat().reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('has no accuracy without labelled files', () => {
    expect(countResults(rows, 0.9).accuracy).toBeNull();
  });

  it('writes label and correct columns to the CSV', () => {
    const lines = classificationCsv(toFileClassifications(labelled)).trimEnd().split('\n');
    expect(lines.slice(1).map((l) => l.split(',').slice(-4, -2))).toEqual([
      ['7', 'true'],
      ['7', 'false'],
      ['3', 'true'],
      ['3', ''],
      ['', ''],
    ]);
  });
});
