// JSON.parse for file contents. V8's own messages quote the text around a fault
// (`Unexpected token 'r', "root:*:202"...`), which turned "load /etc/shadow as a model" into a
// way to read it. This one reports where the fault is (offset, line, column) and what kind of
// fault it is, never the characters themselves.

export class JsonSyntaxError extends Error {
  constructor(
    readonly subject: string,
    readonly offset: number,
    readonly line: number,
    readonly column: number,
    readonly fault: string,
  ) {
    super(`${subject} is not valid JSON (${fault} at line ${line}, column ${column})`);
    this.name = 'JsonSyntaxError';
  }
}

/** Parses `text`; on a syntax error throws a JsonSyntaxError naming `subject` and the position. */
export function parseJson(text: string, subject: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const { offset, fault } = locateJsonFault(text);
    const { line, column } = lineAndColumn(text, offset);
    throw new JsonSyntaxError(subject, offset, line, column, fault);
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// JSON forbids raw control characters (U+0000–U+001F) in strings: the class excludes them.
// eslint-disable-next-line no-control-regex
const STRING_BODY = /(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*/y;

/**
 * Finds the first syntax fault of text JSON.parse refused: a small iterative scanner (no
 * recursion, so deep nesting cannot overflow the stack). Runs only on the failure path.
 */
export function locateJsonFault(text: string): { offset: number; fault: string } {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const fail = (fault: string) => ({ offset: i, fault });
  // What the scanner expects next, and the containers it is inside.
  const stack: Array<'object' | 'array'> = [];
  let expectValue = true;
  for (;;) {
    ws();
    if (expectValue) {
      if (i >= text.length) return fail('unexpected end of input');
      const c = text[i];
      if (c === '{' || c === '[') {
        stack.push(c === '{' ? 'object' : 'array');
        i++;
        ws();
        if (text[i] === (c === '{' ? '}' : ']')) {
          stack.pop();
          i++;
          expectValue = false;
          continue;
        }
        if (c === '{') {
          const bad = scanMemberKey();
          if (bad) return fail(bad);
        }
        continue;
      }
      if (c === '"') {
        const bad = scanString();
        if (bad) return fail(bad);
      } else if (text.startsWith('true', i)) i += 4;
      else if (text.startsWith('false', i)) i += 5;
      else if (text.startsWith('null', i)) i += 4;
      else {
        NUMBER.lastIndex = i;
        if (!NUMBER.test(text)) return fail('unexpected character');
        i = NUMBER.lastIndex;
      }
      expectValue = false;
      continue;
    }
    const top = stack.at(-1);
    if (!top)
      return i >= text.length ? fail('invalid value') : fail('unexpected data after the value');
    if (i >= text.length) return fail('unexpected end of input');
    if (text[i] === (top === 'object' ? '}' : ']')) {
      stack.pop();
      i++;
      continue;
    }
    if (text[i] !== ',')
      return fail(top === 'object' ? "expected ',' or '}'" : "expected ',' or ']'");
    i++;
    if (top === 'object') {
      ws();
      const bad = scanMemberKey();
      if (bad) return fail(bad);
    }
    expectValue = true;
  }

  /** Scans `"key":` at i (white space allowed before the colon); returns a fault or ''. */
  function scanMemberKey(): string {
    const bad = scanString();
    if (bad) return bad;
    ws();
    if (text[i] !== ':') return i >= text.length ? 'unexpected end of input' : "expected ':'";
    i++;
    return '';
  }

  /** Scans a string at i; returns a fault, or '' once i is past its closing quote. */
  function scanString(): string {
    if (i >= text.length) return 'unexpected end of input';
    if (text[i] !== '"') return 'expected a double-quoted property name';
    STRING_BODY.lastIndex = i + 1;
    STRING_BODY.test(text);
    const end = STRING_BODY.lastIndex;
    if (end >= text.length) {
      i = end;
      return 'unterminated string';
    }
    if (text[end] !== '"') {
      i = end;
      return text[end] === '\\' ? 'invalid escape in a string' : 'control character in a string';
    }
    i = end + 1;
    return '';
  }
}
