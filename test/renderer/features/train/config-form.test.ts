import { describe, expect, it } from 'vitest';
import { configFields } from '../../../../src/renderer/src/features/train/config-fields';
import {
  defaultForm,
  formFromConfig,
  validateForm,
  withPresetChosen,
  type ConfigForm,
} from '../../../../src/renderer/src/features/train/config-form';
import { TRAINING_DEFAULTS, TrainingConfigSchema } from '../../../../src/shared/training-config';
import {
  MODEL_PRESETS,
  TRAINING_OPTIONS,
  withPresetDefaults,
} from '../../../../src/shared/training-options';

function withFields(fields: Partial<ConfigForm>): ConfigForm {
  return { ...defaultForm(), ...fields };
}

describe('training form', () => {
  it('starts from the shared defaults and produces a config the schema accepts', () => {
    const { config, errors } = validateForm(defaultForm());
    expect(errors).toEqual({});
    expect(config).not.toBeNull();
    expect(TrainingConfigSchema.parse(config)).toEqual(
      TrainingConfigSchema.parse({ ...TRAINING_DEFAULTS, dataset: { kind: 'bundled' } }),
    );
    // Empty subsets mean "all": they are left out, not sent as 0.
    expect(config).not.toHaveProperty('trainLimit');
    expect(config).not.toHaveProperty('testLimit');
  });

  it('offers exactly the options the schema allows', () => {
    const fields = configFields().flatMap((g) => g.fields);
    const values = (key: string) => {
      const field = fields.find((f) => f.key === key);
      return field && field.kind !== 'number' ? field.options.map((o) => o.value) : [];
    };
    expect(values('model')).toEqual(TrainingConfigSchema.shape.model.unwrap().options);
    expect(values('optimizer')).toContain('adam');
  });

  it('holds every option of the table, and sends each one that has a value', () => {
    const form = defaultForm();
    const { config } = validateForm(form);
    for (const [key, option] of Object.entries(TRAINING_OPTIONS)) {
      expect(form).toHaveProperty(key);
      const expected = (option as { default?: unknown }).default;
      if (expected === undefined) expect(config).not.toHaveProperty(key);
      else expect(config).toHaveProperty(key, expected);
    }
  });

  it('passes subsets and numbers typed as text', () => {
    const { config } = validateForm(
      withFields({ trainLimit: 3000, testLimit: ' 500 ', epochs: '2' }),
    );
    expect(config).toMatchObject({ trainLimit: 3000, testLimit: 500, epochs: 2 });
  });

  it.each([
    [{ batchSize: 0 }, 'batchSize', 'Must be at least 1'],
    [{ batchSize: 9000 }, 'batchSize', 'Must be at most 8192'],
    [{ batchSize: 12.5 }, 'batchSize', 'Must be a whole number'],
    [{ learningRate: 0 }, 'learningRate', 'Must be greater than 0'],
    [{ dropout: 0.95 }, 'dropout', 'Must be at most 0.9'],
    [{ validationSplit: -0.1 }, 'validationSplit', 'Must be at least 0'],
    [{ epochs: '' }, 'epochs', 'Required'],
    [{ seed: 'abc' }, 'seed', 'Enter a number'],
    [{ trainLimit: 0 }, 'trainLimit', 'Must be at least 1'],
    [{ testLimit: 'x' }, 'testLimit', 'Enter a number'],
    [{ datasetKind: 'folder', datasetPath: '  ' }, 'datasetPath', 'Dataset folder is empty'],
  ] as const)('refuses %o with a message on %s', (fields, field, message) => {
    const { config, errors } = validateForm(withFields(fields));
    expect(config).toBeNull();
    expect(errors[field]).toBe(message);
    expect(Object.keys(errors)).toEqual([field]);
  });

  it('reports every bad field at once', () => {
    const { errors } = validateForm(withFields({ batchSize: 0, epochs: 0, learningRate: '' }));
    expect(Object.keys(errors).sort()).toEqual(['batchSize', 'epochs', 'learningRate']);
  });

  it('sends a folder dataset with its trimmed path', () => {
    const { config } = validateForm(
      withFields({ datasetKind: 'folder', datasetPath: ' /data/fashion ' }),
    );
    expect(config?.dataset).toEqual({ kind: 'folder', path: '/data/fashion' });
  });
});

describe('formFromConfig', () => {
  it("shows a run's configuration, and validates back to the same config", () => {
    const config = TrainingConfigSchema.parse({
      model: 'lenet-caffe',
      epochs: 7,
      trainLimit: 500,
      dataset: { kind: 'folder', path: '/data/fashion' },
    });
    const form = formFromConfig(config);
    expect(form).toMatchObject({ model: 'lenet-caffe', epochs: 7, trainLimit: 500, testLimit: '' });
    expect(form).toMatchObject({ datasetKind: 'folder', datasetPath: '/data/fashion' });
    expect(TrainingConfigSchema.parse(validateForm(form).config)).toEqual(config);
  });
});

describe('withPresetChosen', () => {
  it("fills in the picked preset's own defaults and keeps what no preset sets", () => {
    const paper = withPresetChosen(withFields({ model: 'lenet5-1998', seed: 7, trainLimit: 500 }));
    expect(paper).toMatchObject({ activation: 'scaled-tanh', output: 'rbf', c3: 'table' });
    expect(paper).toMatchObject({ batchSize: 16, epochs: 20, seed: 7, trainLimit: 500 });
    // Back to a preset with no defaults of its own: the global ones return.
    const back = withPresetChosen({ ...paper, model: 'lenet5' });
    expect(back).toMatchObject({ activation: 'relu', output: 'softmax', c3: 'full' });
    expect(back).toMatchObject({ batchSize: 128, epochs: 6, seed: 7, trainLimit: 500 });
  });

  it.each(MODEL_PRESETS)('gives %s the config the CLI gives it', (model) => {
    const { config } = validateForm(withPresetChosen(withFields({ model })));
    expect(TrainingConfigSchema.parse(config)).toEqual(
      TrainingConfigSchema.parse(withPresetDefaults({ model, dataset: { kind: 'bundled' } })),
    );
  });
});
