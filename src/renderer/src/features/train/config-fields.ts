// The settings form's fields, computed from the shared option table (src/shared/
// training-options.ts): which fieldset each option sits in, its label, id, control, values or
// bounds. The config panel only renders this list, so a new option in the table appears in the
// form without an edit here or in the panel. Pure: no Vue, no DOM.
import {
  FORM_GROUPS,
  TRAINING_OPTIONS,
  type ChoiceOption,
  type FormGroup,
  type NumberOption,
} from '../../../../shared/training-options';

type AnyOption = ChoiceOption<string> | NumberOption;
/** An option table: the shared one, or another of the same shape (tests add options to a copy). */
export type OptionTable = Readonly<Record<string, AnyOption>>;

interface FieldBase {
  /** The option's key in the table and in the form. */
  key: string;
  /** The control's element id (and, through its label, its accessible name's target). */
  id: string;
  label: string;
  hint: string | undefined;
  /** Spans both columns of its fieldset's grid. */
  wide: boolean;
}

export interface ChoiceField extends FieldBase {
  kind: 'select' | 'segmented';
  options: Array<{ value: string; label: string }>;
}

export interface NumberField extends FieldBase {
  kind: 'number';
  /** The input's min attribute (the table's bound; an exclusive bound is enforced by the schema). */
  min: number;
  max: number | undefined;
  step: number | 'any';
  int: boolean;
  /** Set for options without a default, which may be left empty. */
  placeholder: string | undefined;
}

export type ConfigField = ChoiceField | NumberField;

export interface FieldGroup {
  id: FormGroup;
  legend: string;
  fields: ConfigField[];
}

/** `batchSize` → `batch-size`: the element id, as the form has always named its controls. */
export function fieldId(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** `distortTranslate` → `Distort translate`: the label of an option the table names no label for. */
export function labelFromKey(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function fieldOf(key: string, option: AnyOption): ConfigField {
  const base: FieldBase = {
    key,
    id: fieldId(key),
    label: option.form?.label ?? labelFromKey(key),
    hint: option.form?.hint,
    wide: option.form?.wide ?? false,
  };
  if (option.kind === 'choice') {
    return {
      ...base,
      kind: option.form?.control ?? 'select',
      options: option.values.map((value) => ({ value, label: option.labels[value] ?? value })),
    };
  }
  return {
    ...base,
    kind: 'number',
    min: option.min,
    max: option.max,
    step: option.form?.step ?? (option.int ? 1 : 'any'),
    int: option.int,
    placeholder: option.default === undefined ? option.form?.placeholder : undefined,
  };
}

/**
 * Every option of the table as a field, in fieldsets (FORM_GROUPS order, empty ones left out),
 * each ordered by its `order` hint, then table order; a half-width field left alone on its row
 * spans it (see fillRows).
 */
export function configFields(table: OptionTable = TRAINING_OPTIONS): FieldGroup[] {
  const entries = Object.entries(table).map(([key, option], index) => ({
    field: fieldOf(key, option),
    group: option.form?.group ?? 'more',
    order: option.form?.order ?? Number.POSITIVE_INFINITY,
    index,
  }));
  return (Object.keys(FORM_GROUPS) as FormGroup[])
    .map((id) => ({
      id,
      legend: FORM_GROUPS[id],
      fields: entries
        .filter((e) => e.group === id)
        .sort((a, b) => a.order - b.order || a.index - b.index)
        .map((e) => e.field),
    }))
    .map((group) => ({ ...group, fields: fillRows(group.fields) }))
    .filter((group) => group.fields.length > 0);
}

/**
 * The fieldset grid has two columns: a half-width field followed by a wide one (or by nothing)
 * would leave an empty half-row beside it (the Model fieldset with the 1998 options had one),
 * so such a field spans the row instead.
 */
export function fillRows(fields: readonly ConfigField[]): ConfigField[] {
  const out: ConfigField[] = [];
  let column = 0;
  fields.forEach((field, i) => {
    if (field.wide) {
      out.push(field);
      column = 0;
      return;
    }
    const next = fields[i + 1];
    const alone = column === 0 && (next === undefined || next.wide);
    out.push(alone ? { ...field, wide: true } : field);
    column = alone ? 0 : (column + 1) % 2;
  });
  return out;
}
