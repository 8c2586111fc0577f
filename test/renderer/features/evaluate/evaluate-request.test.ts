import { describe, expect, it } from 'vitest';
import {
  evaluateRequest,
  initialEvaluateForm,
} from '../../../../src/renderer/src/features/evaluate/evaluate-request';

describe('evaluate form', () => {
  it('evaluates on the whole bundled test set by default', () => {
    expect(evaluateRequest(initialEvaluateForm())).toEqual({ request: {}, errors: {} });
    expect(evaluateRequest({ source: 'bundled', folder: '', testLimit: '' }).request).toEqual({});
  });

  it('passes a test subset and a dataset folder', () => {
    expect(
      evaluateRequest({ source: 'folder', folder: ' /data/fashion ', testLimit: 500 }),
    ).toEqual({
      request: { dataset: { kind: 'folder', path: '/data/fashion' }, testLimit: 500 },
      errors: {},
    });
  });

  it('names each bad field', () => {
    expect(evaluateRequest({ source: 'folder', folder: '', testLimit: 0 })).toEqual({
      request: null,
      errors: { folder: 'Enter the dataset folder.', testLimit: 'Must be at least 1.' },
    });
    expect(evaluateRequest({ source: 'folder', folder: 'data', testLimit: 2.5 }).errors).toEqual({
      folder: 'Give a full path (starting with / or a drive letter).',
      testLimit: 'Must be a whole number.',
    });
  });
});
