import { describe, expect, it } from 'vitest';
import {
  BINARY_ALIGNMENT,
  BinaryFrameError,
  decodeBinaryFrame,
  encodeMessage,
  isBinaryFrame,
} from '../../src/shared/binary-frame';

/** A frame built by hand: prefix, header JSON, zero padding, then the given body bytes. */
function handmade(header: unknown, body: Uint8Array = new Uint8Array(0), bodyAt?: number) {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const start = bodyAt ?? Math.ceil((8 + json.length) / 8) * 8;
  const frame = new Uint8Array(start + body.length);
  frame.set([0x4c, 0x4e, 0x42, 0x31]);
  new DataView(frame.buffer).setUint32(4, json.length, true);
  frame.set(json, 8);
  frame.set(body, start);
  return { frame, start };
}

function decodeError(frame: Uint8Array, maxBytes?: number): string {
  try {
    decodeBinaryFrame(frame, { maxBytes });
  } catch (error) {
    expect(error).toBeInstanceOf(BinaryFrameError);
    return (error as Error).message;
  }
  throw new Error('the frame decoded');
}

describe('binary frame codec', () => {
  it('keeps a message without typed arrays as the JSON text it always was', () => {
    const message = { type: 'response', id: 3, ok: true, value: { a: [1, 2], b: 'x' } };
    expect(encodeMessage(message)).toBe(JSON.stringify(message));
  });

  it('round-trips nested typed arrays of every kind, in objects and arrays', () => {
    const message = {
      type: 'response',
      id: 9,
      ok: true,
      value: {
        details: {
          labels: new Int32Array([3, -1, 2_000_000_000]),
          top3Probabilities: new Float32Array([0.5, 1e-30, Number.NaN]),
        },
        layers: [
          { name: 'c1', values: new Float32Array([1.5, -2.25]) },
          { name: 's2', values: new Float32Array(0) },
        ],
        pixels: new Uint8Array([0, 7, 255]),
        note: 'ünïcode ✓',
      },
    };
    const frame = encodeMessage(message);
    expect(frame).toBeInstanceOf(Uint8Array);
    expect(isBinaryFrame(frame as Uint8Array)).toBe(true);
    const back = decodeBinaryFrame(frame as Uint8Array) as typeof message;
    expect(back).toEqual(message);
    expect(back.value.details.labels).toBeInstanceOf(Int32Array);
    expect(back.value.details.top3Probabilities).toBeInstanceOf(Float32Array);
    expect(Number.isNaN(back.value.details.top3Probabilities[2])).toBe(true);
    expect(back.value.layers[1]?.values).toBeInstanceOf(Float32Array);
    expect(back.value.layers[1]?.values).toHaveLength(0);
    expect(back.value.pixels).toBeInstanceOf(Uint8Array);
  });

  it('sends only the window of a subarray view at an odd offset, and aligns every buffer', () => {
    const big = new Uint8Array(1001).map((_, i) => i % 251);
    const odd = big.subarray(3, 10); // byteOffset 3
    const floats = new Float32Array(new ArrayBuffer(64), 4, 3); // byteOffset 4
    floats.set([1, 2, 3]);
    const frame = encodeMessage({ odd, floats, tail: new Uint8Array([9]) }) as Uint8Array;
    // Header + 7 + 12 + 1 bytes and padding: nowhere near the 1,001-byte buffer behind `odd`.
    expect(frame.byteLength).toBeLessThan(400);
    const header = JSON.parse(
      new TextDecoder().decode(
        frame.subarray(8, 8 + new DataView(frame.buffer).getUint32(4, true)),
      ),
    ) as { buffers: Array<{ byteOffset: number }> };
    for (const b of header.buffers) expect(b.byteOffset % BINARY_ALIGNMENT).toBe(0);
    const back = decodeBinaryFrame(frame) as { odd: Uint8Array; floats: Float32Array };
    expect(Array.from(back.odd)).toEqual(Array.from(odd));
    expect(Array.from(back.floats)).toEqual([1, 2, 3]);
    // A copy: its own buffer, not a window on the frame.
    expect(back.odd.byteOffset).toBe(0);
    expect(back.odd.buffer.byteLength).toBe(7);
  });

  it('decodes a frame that sits at an unaligned offset of a larger buffer (as ws may hand it)', () => {
    const frame = encodeMessage({ v: new Float32Array([0.25, 0.75]) }) as Uint8Array;
    const carrier = new Uint8Array(frame.byteLength + 3);
    carrier.set(frame, 3);
    const back = decodeBinaryFrame(carrier.subarray(3)) as { v: Float32Array };
    expect(Array.from(back.v)).toEqual([0.25, 0.75]);
  });

  it('sends a Node Buffer as a Uint8Array, not as its toJSON object', () => {
    const back = decodeBinaryFrame(encodeMessage({ b: Buffer.from([1, 2, 3]) }) as Uint8Array) as {
      b: Uint8Array;
    };
    expect(back.b).toBeInstanceOf(Uint8Array);
    expect(Array.from(back.b)).toEqual([1, 2, 3]);
  });

  it('finds a typed array however deep it sits, and refuses a cycle instead of hanging', () => {
    let deep: unknown = { v: new Uint8Array([5]) };
    for (let i = 0; i < 100; i++) deep = [deep];
    const frame = encodeMessage(deep);
    expect(frame).toBeInstanceOf(Uint8Array);
    let back = decodeBinaryFrame(frame as Uint8Array);
    for (let i = 0; i < 100; i++) back = (back as unknown[])[0];
    expect(back).toEqual({ v: new Uint8Array([5]) });

    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => encodeMessage(cycle)).toThrow(/circular/);
  });

  it('refuses to encode a typed array kind the format does not carry', () => {
    expect(() => encodeMessage({ x: new Float64Array(2) })).toThrow(/Float64Array/);
  });

  it('rejects a huge declared length before allocating anything', () => {
    const { frame } = handmade(
      {
        buffers: [{ type: 'Float32Array', byteOffset: 256, length: 2 ** 50 }],
        message: { $binary: 0 },
      },
      new Uint8Array(8),
      256,
    );
    expect(decodeError(frame)).toMatch(/buffer 0 ends past the frame/);
  });

  it('rejects a frame over the size limit, before reading its header', () => {
    const frame = encodeMessage({ v: new Uint8Array(100) }) as Uint8Array;
    expect(decodeError(frame, 64)).toMatch(/over the limit of 64/);
  });

  it('rejects short frames, a wrong magic, and a header that runs past the frame', () => {
    expect(decodeError(new Uint8Array(5))).toMatch(/prefix/);
    const frame = encodeMessage({ v: new Uint8Array(4) }) as Uint8Array;
    const wrong = frame.slice();
    wrong[0] = 0x58;
    expect(decodeError(wrong)).toMatch(/LNB1/);
    const long = frame.slice();
    new DataView(long.buffer).setUint32(4, 0xffffffff, true);
    expect(decodeError(long)).toMatch(/header runs past/);
  });

  it('rejects a header that is not UTF-8 JSON of the right shape', () => {
    const bytes = new Uint8Array(16);
    bytes.set([0x4c, 0x4e, 0x42, 0x31]);
    new DataView(bytes.buffer).setUint32(4, 2, true);
    bytes.set([0xff, 0xfe], 8);
    expect(decodeError(bytes)).toMatch(/not UTF-8 JSON/);
    expect(decodeError(handmade([1, 2]).frame)).toMatch(/not an object/);
    expect(decodeError(handmade({ buffers: [] }).frame)).toMatch(/no "message"/);
    expect(decodeError(handmade({ buffers: [], message: 1 }).frame)).toMatch(/lists no buffers/);
  });

  it('rejects unknown kinds, misalignment, overlaps, trailing bytes and bad placeholders', () => {
    const body = new Uint8Array(16);
    const at = (extra: object, message: unknown = { $binary: 0 }) => {
      const { frame } = handmade(
        { buffers: [{ type: 'Uint8Array', byteOffset: 256, length: 16, ...extra }], message },
        body,
        256,
      );
      return frame;
    };
    // The well-formed version decodes: the faults below are the only difference.
    expect(decodeBinaryFrame(at({}))).toBeInstanceOf(Uint8Array);
    expect(decodeError(at({ type: 'Float64Array' }))).toMatch(/unknown type/);
    expect(decodeError(at({ type: 'constructor' }))).toMatch(/unknown type/);
    expect(decodeError(at({ length: -1 }))).toMatch(/no valid length/);
    expect(decodeError(at({ length: 1.5 }))).toMatch(/no valid length/);
    expect(decodeError(at({ length: 8 }))).toMatch(/bytes after the last buffer/);
    expect(decodeError(at({ byteOffset: 'x' }))).toMatch(/no valid byteOffset/);
    expect(decodeError(at({ byteOffset: 260, length: 12 }))).toMatch(/not aligned/);
    expect(decodeError(at({ byteOffset: 8 }))).toMatch(/overlaps the header/);
    expect(decodeError(at({}, { a: 1 }))).toMatch(/buffer 0 is referenced by no placeholder/);
    expect(decodeError(at({}, [{ $binary: 0 }, { $binary: 0 }]))).toMatch(/referenced twice/);
    expect(decodeError(at({}, { $binary: 1 }))).toMatch(/names no buffer/);
    expect(decodeError(at({}, { $binary: '0' }))).toMatch(/names no buffer/);

    const two = handmade(
      {
        buffers: [
          { type: 'Uint8Array', byteOffset: 256, length: 16 },
          { type: 'Uint8Array', byteOffset: 264, length: 8 },
        ],
        message: [{ $binary: 0 }, { $binary: 1 }],
      },
      body,
      256,
    ).frame;
    expect(decodeError(two)).toMatch(/buffer 1 overlaps/);
  });

  it('rejects a header nested deeper than the stack, without crashing', () => {
    const depth = 500_000;
    const end = 2_000_000; // past the header (about 1 MB), a multiple of 8
    const { frame } = handmade(
      { buffers: [{ type: 'Uint8Array', byteOffset: end, length: 0 }], message: 0 },
      new Uint8Array(0),
      end,
    );
    // The nesting is spliced in as text: building it as a value would overflow here first.
    const text = JSON.stringify({
      buffers: [{ type: 'Uint8Array', byteOffset: end, length: 0 }],
      message: 0,
    }).replace('"message":0', `"message":${'['.repeat(depth)}{"$binary":0}${']'.repeat(depth)}`);
    const header = new TextEncoder().encode(text);
    expect(8 + header.length).toBeLessThan(end);
    new DataView(frame.buffer).setUint32(4, header.length, true);
    frame.set(header, 8);
    expect(decodeError(frame)).toMatch(/nested too deeply|not UTF-8 JSON/);
  });

  it('keeps a "__proto__" key a plain key, never the prototype', () => {
    const { frame } = handmade(
      {
        buffers: [{ type: 'Uint8Array', byteOffset: 256, length: 0 }],
        message: JSON.parse('{"__proto__": {"polluted": true}, "v": {"$binary": 0}}'),
      },
      new Uint8Array(0),
      256,
    );
    const back = decodeBinaryFrame(frame) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(back, '__proto__')).toBe(true);
  });
});
