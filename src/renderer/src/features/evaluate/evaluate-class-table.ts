// The per-class table's rows: each class's scores with its name, the class with the lowest F1
// marked (where to look first), and the macro average (every class counted equally). Pure.
import type { ClassMetrics } from '../../../../shared/class-metrics';

export interface ClassTableRow extends ClassMetrics {
  label: string;
  weakest: boolean;
}

export interface ClassTable {
  rows: ClassTableRow[];
  /** Unweighted means over classes with support; support is the total. */
  macro: ClassMetrics;
}

export function classTableRows(
  perClass: readonly ClassMetrics[],
  labels?: readonly string[],
): ClassTable {
  const present = perClass.filter((m) => m.support > 0);
  let weakest = -1;
  perClass.forEach((m, k) => {
    if (m.support > 0 && (weakest < 0 || m.f1 < (perClass[weakest] as ClassMetrics).f1))
      weakest = k;
  });
  const mean = (f: (m: ClassMetrics) => number): number =>
    present.length === 0 ? 0 : present.reduce((sum, m) => sum + f(m), 0) / present.length;
  return {
    rows: perClass.map((m, k) => ({
      ...m,
      label: labels?.[k] ?? String(k),
      weakest: k === weakest && present.length > 1,
    })),
    macro: {
      precision: mean((m) => m.precision),
      recall: mean((m) => m.recall),
      f1: mean((m) => m.f1),
      support: perClass.reduce((sum, m) => sum + m.support, 0),
    },
  };
}
