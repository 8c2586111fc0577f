// The three wordings are what the Draw, Evaluate and Models views showed before they shared
// one helper: the e2e tests and screenshots read them.
import { describe, expect, it } from 'vitest';
import type { ModelSummary } from '../../../src/shared/engine-protocol';
import { modelLabel } from '../../../src/renderer/src/ui/model-label';

const trained: ModelSummary = { preset: 'lenet5', params: 61_706, source: 'trained' };
const fromRun: ModelSummary = { ...trained, source: 'loaded', runId: 'r1', testAccuracy: 0.985 };
const fromDisk: ModelSummary = {
  preset: 'lenet-caffe',
  params: 431_080,
  source: 'loaded',
  path: '/m',
};

describe('modelLabel', () => {
  it('prediction: the architecture, where it came from, and its test accuracy', () => {
    expect(modelLabel(trained, 'prediction')).toBe('LeNet-5, trained in this session');
    expect(modelLabel(fromRun, 'prediction')).toBe(
      'LeNet-5, loaded from disk · 98.50% test accuracy',
    );
    expect(modelLabel(fromDisk, 'prediction')).toBe('lenet-caffe, loaded from disk');
  });

  it('evaluation: the preset and its run (by name when known), path or session', () => {
    expect(modelLabel(fromRun, 'evaluation', 'first run')).toBe('lenet5 (run “first run”)');
    expect(modelLabel(fromRun, 'evaluation')).toBe('lenet5 (run “r1”)');
    expect(modelLabel(fromDisk, 'evaluation')).toBe('lenet-caffe (/m)');
    expect(modelLabel(trained, 'evaluation')).toBe('lenet5 (trained in this session)');
  });

  it('origin: a sentence saying where the current model came from', () => {
    expect(modelLabel({ ...trained, runId: 'r1' }, 'origin', 'first run')).toBe(
      'Trained in run “first run”',
    );
    expect(modelLabel(fromRun, 'origin', null)).toBe('Checkpoint of run “r1”');
    expect(modelLabel(fromDisk, 'origin')).toBe('Loaded from /m');
    expect(modelLabel(trained, 'origin')).toBe('Trained in this session');
    expect(modelLabel({ ...trained, source: 'loaded' }, 'origin')).toBe('Loaded from disk');
  });

  it('header: preset, the data it learned and its accuracy, as short as possible', () => {
    expect(modelLabel(trained, 'header')).toBe('lenet5');
    const fashion: ModelSummary = {
      ...fromRun,
      dataset: {
        name: 'fashion-mnist',
        fingerprint: 'sha256:ca3ab2a37f845e1b8ae23cab1b51749a3011ba3bf1d9016176d75cbaabac376f',
      },
    };
    expect(modelLabel(fashion, 'header')).toBe('lenet5 · Fashion-MNIST · 98.50%');
  });
});
