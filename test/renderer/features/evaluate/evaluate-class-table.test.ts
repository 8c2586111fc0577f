import { describe, expect, it } from 'vitest';
import { perClassMetrics } from '../../../../src/shared/class-metrics';
import { classTableRows } from '../../../../src/renderer/src/features/evaluate/evaluate-class-table';

describe('per-class table', () => {
  // 0: 8 of 10 right; 1: 9 of 10 right; 2: no samples, never predicted.
  const metrics = perClassMetrics([
    [8, 2, 0],
    [1, 9, 0],
    [0, 0, 0],
  ]);

  it('names the rows, marks the weakest F1 among classes with samples', () => {
    const table = classTableRows(metrics, ['zero', 'one', 'two']);
    expect(table.rows.map((r) => r.label)).toEqual(['zero', 'one', 'two']);
    expect(table.rows.map((r) => r.weakest)).toEqual([true, false, false]);
    expect(table.rows[1]?.support).toBe(10);
  });

  it('averages over the classes that have samples; support is the total', () => {
    const { macro } = classTableRows(metrics);
    // precision 8/9 and 9/11, recall 0.8 and 0.9.
    expect(macro.precision).toBeCloseTo((8 / 9 + 9 / 11) / 2);
    expect(macro.recall).toBeCloseTo(0.85);
    expect(macro.support).toBe(20);
    expect(classTableRows([]).macro).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
  });
});
