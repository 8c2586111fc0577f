// Errors about malformed JSON files say where the fault is, never what the file holds.
import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, parseJson } from '../../src/shared/safe-json';

const fault = (text: string) => {
  try {
    parseJson(text, 'f.json');
  } catch (err) {
    return err as JsonSyntaxError;
  }
  throw new Error('parsed');
};

describe('parseJson', () => {
  it('parses valid JSON', () => {
    expect(parseJson('{"a": [1, 2.5e3, "x\\n", true, null, {}]}', 'f')).toEqual({
      a: [1, 2500, 'x\n', true, null, {}],
    });
  });

  it.each([
    ['root:*:20231:0:99999:7:::', 1, 1, /unexpected character/],
    ['{"a": 1,, "secret": 2}', 1, 9, /property name/],
    ['{"a": tru', 1, 7, /unexpected character/],
    ['{"a": 1', 1, 8, /end of input/],
    ['{\n  "a": 1\n  "b": 2}', 3, 3, /expected ',' or '}'/],
    ['[1, 2] x', 1, 8, /after the value/],
    ['"abc', 1, 5, /unterminated/],
    ['{"k": "a\\qsecret"}', 1, 9, /escape/],
    ['', 1, 1, /end of input/],
    [`${'['.repeat(100_000)}`, 1, 100_001, /end of input/],
  ])('case %#', (text, line, column, kind) => {
    const error = fault(text);
    expect(error).toBeInstanceOf(JsonSyntaxError);
    expect(error).toMatchObject({ line, column });
    expect(error.message).toMatch(kind);
    expect(error.message).toMatch(/^f\.json is not valid JSON/);
    expect(error.message).not.toMatch(/root|secret|tru\b|abc/);
  });

  it('agrees with V8 where V8 reports a position', () => {
    for (const text of ['{"a": 1,, "b": 2}', '{"a" 1}', '[1 2]']) {
      let v8 = -1;
      try {
        JSON.parse(text);
      } catch (err) {
        v8 = Number(/position (\d+)/.exec((err as Error).message)?.[1]);
      }
      expect(fault(text).offset, text).toBe(v8);
    }
  });
});
