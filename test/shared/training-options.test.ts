// The option table is the one source of the schema's values, bounds and defaults.
import { describe, expect, it } from 'vitest';
import { TrainingConfigSchema } from '../../src/shared/training-config';
import {
  CHOICE_LABELS,
  CHOICES,
  NUMBER_BOUNDS,
  TRAINING_DEFAULTS,
  TRAINING_OPTIONS,
} from '../../src/shared/training-options';

describe('option table', () => {
  it('gives the schema its fields, in order, besides the dataset', () => {
    expect(Object.keys(TrainingConfigSchema.shape).filter((k) => k !== 'dataset')).toEqual(
      Object.keys(TRAINING_OPTIONS),
    );
  });

  it('gives every choice its values and a label for each', () => {
    for (const [key, values] of Object.entries(CHOICES)) {
      const field = TrainingConfigSchema.shape[key as keyof typeof CHOICES];
      expect(field.unwrap().options).toEqual(values);
      const labels = CHOICE_LABELS[key as keyof typeof CHOICES] as Record<string, string>;
      expect(Object.keys(labels).sort()).toEqual([...values].sort());
    }
  });

  it('gives the schema its defaults', () => {
    expect(TrainingConfigSchema.parse({})).toMatchObject(TRAINING_DEFAULTS);
  });

  it.each(Object.entries(NUMBER_BOUNDS))(
    '%s: the schema accepts its bounds and refuses beyond',
    (key, b) => {
      const accepts = (value: number) => TrainingConfigSchema.safeParse({ [key]: value }).success;
      expect(accepts(b.exclusiveMin ? b.min + 1e-6 : b.min)).toBe(true);
      expect(accepts(b.exclusiveMin ? b.min : b.min - 1)).toBe(false);
      if (b.max !== undefined) {
        expect(accepts(b.max)).toBe(true);
        expect(accepts(b.max + 1)).toBe(false);
      }
      if (b.int) expect(accepts(b.min + 0.5)).toBe(false);
    },
  );
});

describe('preset defaults', () => {
  it('fill only what the caller left out, and today every preset keeps the global defaults', async () => {
    const { withPresetDefaults, PRESET_DEFAULTS } =
      await import('../../src/shared/training-options');
    for (const model of CHOICES.model) {
      expect(TrainingConfigSchema.parse(withPresetDefaults({ model }))).toMatchObject({
        ...TRAINING_DEFAULTS,
        ...PRESET_DEFAULTS[model],
        model,
      });
      expect(withPresetDefaults({ model, epochs: 7 })).toMatchObject({ model, epochs: 7 });
    }
    expect(withPresetDefaults({ model: 'nope' })).toEqual({ model: 'nope' });
  });
});
