import { describe, expect, it } from 'vitest';
import { errorMessage } from '../../../src/renderer/src/ui/error-message';

describe('errorMessage', () => {
  it("gives an Error's message and a thrown string as it is", () => {
    expect(errorMessage(new Error('engine gone'))).toBe('engine gone');
    expect(errorMessage('no model loaded')).toBe('no model loaded');
  });

  it("falls back to String() or to the caller's wording for anything else", () => {
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage({ code: 1 }, 'cannot read the file')).toBe('cannot read the file');
  });
});
