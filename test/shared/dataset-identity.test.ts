import { describe, expect, it } from 'vitest';
import {
  classMismatch,
  classNamesOf,
  datasetDisplayName,
  DIGIT_CLASS_NAMES,
} from '../../src/shared/dataset-identity';

const folder = (name: string, classNames?: string[]) => ({
  name,
  fingerprint: `sha256:${name}`,
  ...(classNames ? { classNames } : {}),
});

describe('class names and mismatches', () => {
  it('falls back to digits for runs recorded without class names', () => {
    expect(classNamesOf(folder('old'))).toEqual(DIGIT_CLASS_NAMES);
    expect(classNamesOf(null)).toEqual(DIGIT_CLASS_NAMES);
    expect(datasetDisplayName(folder('my-digits'))).toBe('my-digits');
  });

  it('warns only when the classes differ', () => {
    const digitsA = folder('a');
    const digitsB = folder('b', [...DIGIT_CLASS_NAMES]);
    const letters = folder('letters', ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']);
    expect(classMismatch(digitsA, digitsA)).toBeNull();
    expect(classMismatch(digitsA, digitsB)).toBeNull();
    const message = classMismatch(digitsA, letters);
    expect(message).toMatch(/trained on a .*letters has other classes/);
  });
});
