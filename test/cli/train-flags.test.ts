// The train command's flags come from the option table: each option is a flag, parsed to the
// config field's type, and named in errors and help.
import { describe, expect, it } from 'vitest';
import {
  configFromFlags,
  flagOf,
  TRAIN_FLAGS,
  trainHelp,
  trainSynopsis,
} from '../../src/cli/train-flags';
import { TrainingConfigSchema } from '../../src/shared/training-config';
import { TRAINING_OPTIONS } from '../../src/shared/training-options';

describe('train flags', () => {
  it('has one flag per option, named in the synopsis and the help with its values', () => {
    for (const option of Object.values(TRAINING_OPTIONS)) {
      expect(TRAIN_FLAGS).toHaveProperty(option.flag);
      expect(trainSynopsis('')).toContain(`--${option.flag}`);
      expect(trainHelp()).toContain(`--${option.flag}`);
      if (option.kind === 'choice') {
        for (const v of option.values) expect(trainHelp()).toContain(`${v}`);
      }
    }
  });

  it('turns flags into config fields the schema reads', () => {
    const input = configFromFlags({
      batch: '64',
      lr: '0.01',
      schedule: 'constant',
      model: 'lenet-caffe',
    });
    expect(input).toEqual({
      batchSize: 64,
      learningRate: 0.01,
      lrSchedule: 'constant',
      model: 'lenet-caffe',
    });
    expect(TrainingConfigSchema.parse(input)).toMatchObject(input);
    expect(() => configFromFlags({ epochs: 'ten' })).toThrow(/--epochs: "ten" is not a number/);
  });

  it('names the flag of a field', () => {
    expect(flagOf('batchSize')).toBe('batch');
    expect(flagOf('validationSplit')).toBe('validation-split');
    expect(flagOf('dataset')).toBe('data');
  });
});
