import { describe, expect, it } from 'vitest';
import {
  configFields,
  fillRows,
  fieldId,
  labelFromKey,
  type ConfigField,
  type OptionTable,
} from '../../../../src/renderer/src/features/train/config-fields';
import { TRAINING_OPTIONS } from '../../../../src/shared/training-options';

const TABLE = TRAINING_OPTIONS as OptionTable;

function allFields(table?: OptionTable): ConfigField[] {
  return configFields(table).flatMap((group) => group.fields);
}

describe('the settings form from the option table', () => {
  it('gives every option of the table exactly one field, with its label, values and bounds', () => {
    const fields = allFields();
    expect(fields.map((f) => f.key).sort()).toEqual(Object.keys(TABLE).sort());
    for (const field of fields) {
      const option = TABLE[field.key]!;
      expect(field.id).toBe(fieldId(field.key));
      expect(field.label).toBe(option.form?.label ?? labelFromKey(field.key));
      if (option.kind === 'choice') {
        expect(field.kind).toBe(option.form?.control ?? 'select');
        expect(field).toMatchObject({
          options: option.values.map((value) => ({ value, label: option.labels[value] })),
        });
      } else {
        expect(field).toMatchObject({ kind: 'number', min: option.min, max: option.max });
        expect(field).toMatchObject({ int: option.int });
        if (option.int) expect(field).toMatchObject({ step: 1 });
      }
    }
  });

  // The e2e tests and people find the fields by these names; the table's hints keep them.
  it('keeps the fieldsets, order, ids, labels and controls the form has always had', () => {
    const known = new Set(Object.keys(TABLE));
    const layout = configFields().map((group) => ({
      legend: group.legend,
      fields: group.fields
        .filter((f) => known.has(f.key))
        .map((f) => [f.id, f.label, f.kind, f.kind === 'number' ? f.step : null]),
    }));
    // Options added later may join a fieldset; these stay in this order among them.
    const expected = [
      {
        legend: 'Model',
        fields: [
          ['model', 'Architecture', 'select', null],
          ['activation', 'Activation', 'select', null],
          ['pooling', 'Pooling', 'select', null],
          ['dropout', 'Dropout', 'number', 0.05],
        ],
      },
      {
        legend: 'Optimisation',
        fields: [
          ['epochs', 'Epochs', 'number', 1],
          ['batch-size', 'Batch size', 'number', 1],
          ['optimizer', 'Optimizer', 'select', null],
          ['learning-rate', 'Learning rate', 'number', 'any'],
          ['lr-schedule', 'LR schedule', 'select', null],
        ],
      },
      {
        legend: 'Data',
        fields: [
          ['validation-split', 'Validation split', 'number', 0.05],
          ['seed', 'Seed', 'number', 1],
          ['train-limit', 'Training subset', 'number', 1],
          ['test-limit', 'Test subset', 'number', 1],
        ],
      },
    ];
    for (const group of expected) {
      const actual = layout.find((g) => g.legend === group.legend);
      const ids = group.fields.map(([id]) => id);
      expect(actual?.fields.filter(([id]) => ids.includes(id as string))).toEqual(group.fields);
    }
    expect(layout.map((g) => g.legend).slice(0, 3)).toEqual(['Model', 'Optimisation', 'Data']);
    const placeholders = allFields()
      .filter((f) => f.kind === 'number' && f.placeholder !== undefined)
      .map((f) => f.key);
    expect(placeholders).toEqual(expect.arrayContaining(['trainLimit', 'testLimit']));
    expect(allFields().find((f) => f.key === 'model')?.wide).toBe(true);
  });

  it('shows a new option of the table with no edit of the form', () => {
    const table: OptionTable = {
      ...TABLE,
      // Placed by its hints: second in Data, as a segmented control.
      centring: {
        kind: 'choice',
        values: ['none', 'mass'],
        labels: { none: 'None', mass: 'Centre of mass' },
        default: 'none',
        flag: 'centring',
        help: 'how digits are centred',
        form: { label: 'Centring', group: 'data', order: 0.5, control: 'segmented' },
      },
      // No hints at all: it still shows, labelled from its key, in "More options".
      exampleShift: {
        kind: 'number',
        int: false,
        min: 0,
        max: 3,
        default: 0,
        flag: 'example-shift',
        metavar: 'X',
        help: 'random shift',
      },
      exampleC1Maps: {
        kind: 'number',
        int: true,
        min: 1,
        max: 256,
        flag: 'example-c1-maps',
        metavar: 'N',
        help: 'feature maps of C1',
      },
    };
    const groups = configFields(table);
    const data = groups.find((g) => g.id === 'data')!;
    expect(data.fields.map((f) => f.key).slice(0, 3)).toEqual([
      'validationSplit',
      'centring',
      'seed',
    ]);
    expect(data.fields[1]).toMatchObject({
      id: 'centring',
      label: 'Centring',
      kind: 'segmented',
      options: [
        { value: 'none', label: 'None' },
        { value: 'mass', label: 'Centre of mass' },
      ],
    });
    const more = groups.at(-1)!;
    expect(more.legend).toBe('More options');
    // After any the table itself leaves unplaced, in table order.
    expect(more.fields.slice(-2)).toEqual([
      expect.objectContaining({
        key: 'exampleShift',
        id: 'example-shift',
        label: 'Example shift',
        kind: 'number',
        min: 0,
        max: 3,
        step: 'any',
      }),
      expect.objectContaining({
        key: 'exampleC1Maps',
        id: 'example-c1-maps',
        label: 'Example c1 maps',
        step: 1,
      }),
    ]);
    // Without the new options the form has no "More options" fieldset.
    expect(configFields().some((g) => g.id === 'more')).toBe(
      Object.values(TABLE).some((o) => o.form?.group === undefined),
    );
  });

  it('names an unlabelled option from its key, and ids it in kebab case', () => {
    expect(['c3', 'c1Maps', 'f6Units', 'distortTranslate'].map(labelFromKey)).toEqual([
      'C3',
      'C1 maps',
      'F6 units',
      'Distort translate',
    ]);
    expect(['batchSize', 'lrSchedule', 'c1Maps', 'seed'].map(fieldId)).toEqual([
      'batch-size',
      'lr-schedule',
      'c1-maps',
      'seed',
    ]);
  });
});

describe('rows of the fieldset grid', () => {
  /** Per row of a two-column grid, how many columns its fields fill. */
  function rows(fields: readonly ConfigField[]): number[] {
    const out: number[] = [];
    let open = 0;
    for (const f of fields) {
      if (f.wide) {
        if (open) out.push(open);
        out.push(2);
        open = 0;
      } else if (++open === 2) {
        out.push(2);
        open = 0;
      }
    }
    if (open) out.push(open);
    return out;
  }

  it('leaves no half-empty row in any fieldset (the Model one had one with the 1998 options)', () => {
    for (const group of configFields()) {
      expect({ legend: group.legend, rows: rows(group.fields) }).toEqual({
        legend: group.legend,
        rows: rows(group.fields).map(() => 2),
      });
    }
  });

  it('widens a half-width field only when it would sit alone on its row', () => {
    const half = (key: string): ConfigField => ({
      key,
      id: key,
      label: key,
      hint: undefined,
      wide: false,
      kind: 'select',
      options: [],
    });
    const wide = (key: string): ConfigField => ({ ...half(key), wide: true });
    const widths = (fields: ConfigField[]) => fillRows(fields).map((f) => (f.wide ? 2 : 1));
    expect(widths([half('a'), half('b'), half('c')])).toEqual([1, 1, 2]);
    expect(widths([half('a'), wide('b'), half('c'), half('d')])).toEqual([2, 2, 1, 1]);
    expect(widths([wide('a'), half('b'), half('c')])).toEqual([2, 1, 1]);
  });
});
