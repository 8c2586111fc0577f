// Counts with their noun: "1 file", not "1 files" (a wording fault of the Classify view).
import { describe, expect, it } from 'vitest';
import { formatCountOf } from '../../../src/renderer/src/ui/format';

describe('formatCountOf', () => {
  it('says one in the singular and any other count in the plural, grouped', () => {
    expect(formatCountOf(1, 'file')).toBe('1 file');
    expect(formatCountOf(0, 'file')).toBe('0 files');
    expect(formatCountOf(12_000, 'file')).toBe('12,000 files');
  });
});
