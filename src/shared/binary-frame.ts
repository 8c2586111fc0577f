// The browser-mode WebSocket's binary frame: one message whose value holds typed arrays
// (evaluate details, dataset pixels, activations, a predict batch) travels as ONE binary frame
// instead of JSON, where a Float32Array would turn into an object of numbered keys and a
// 1,000-image batch into 784,000 printed numbers. Used by both ends (src/server/ws-bridge.ts,
// src/renderer/src/services/ws-client.ts); messages without typed arrays stay JSON text.
//
// Layout (all integers little-endian):
//   [0, 4)          magic "LNB1" (format version 1)
//   [4, 8)          H: byte length of the header
//   [8, 8 + H)      header, UTF-8 JSON: { "buffers": [{ "type", "byteOffset", "length" }…],
//                   "message": <the message, each typed array replaced by {"$binary": i}> }
//   then the raw bytes of buffer i at its byteOffset (from the frame's start, a multiple of 8,
//   so a reader may view it in place), in order, zero padding between; the last one ends the
//   frame. `length` counts elements, not bytes.
//
// The decoder trusts nothing: every offset, length, alignment, type name and placeholder is
// checked before a byte is copied, and a bad frame is a BinaryFrameError (the server closes that
// connection with 1007; the client reports a protocol error), never a crash or a huge allocation.

const MAGIC = [0x4c, 0x4e, 0x42, 0x31] as const; // "LNB1"
const PREFIX_BYTES = 8;
/** Buffers start at multiples of this (the largest element size a reader may view in place). */
export const BINARY_ALIGNMENT = 8;
/** More typed arrays than any message holds (activations: two per layer) — a bound, not a need. */
export const MAX_BINARY_BUFFERS = 256;

const TYPED_ARRAYS = {
  Uint8Array,
  Int32Array,
  Float32Array,
} as const;
export type BinaryArrayType = keyof typeof TYPED_ARRAYS;
export type BinaryArray = InstanceType<(typeof TYPED_ARRAYS)[BinaryArrayType]>;

export interface BufferDescriptor {
  type: BinaryArrayType;
  byteOffset: number;
  length: number;
}

export class BinaryFrameError extends Error {
  override name = 'BinaryFrameError';
}

/** The kind of a typed array this format carries, or null (Buffer counts as a Uint8Array). */
function binaryTypeOf(value: unknown): BinaryArrayType | null {
  if (!ArrayBuffer.isView(value)) return null;
  if (value instanceof Float32Array) return 'Float32Array';
  if (value instanceof Int32Array) return 'Int32Array';
  if (value instanceof Uint8Array) return 'Uint8Array';
  // Float64Array, DataView…: no message holds one; sending it as JSON would silently mangle it.
  throw new TypeError(
    `cannot send a ${value.constructor.name} (only ${Object.keys(TYPED_ARRAYS).join(', ')})`,
  );
}

/** Beyond this depth the walk gives up and says "maybe" (JSON.stringify then finds a cycle). */
const MAX_WALK_DEPTH = 64;

function mayHoldTypedArray(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (ArrayBuffer.isView(value) || depth > MAX_WALK_DEPTH) return true;
  if (Array.isArray(value)) {
    for (const item of value)
      if (typeof item === 'object' && item !== null && mayHoldTypedArray(item, depth + 1))
        return true;
    return false;
  }
  // What JSON.stringify would send: own enumerable properties, after toJSON (a Date → string).
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  for (const key in value)
    if (
      Object.hasOwn(value, key) &&
      mayHoldTypedArray((value as Record<string, unknown>)[key], depth + 1)
    )
      return true;
  return false;
}

const alignUp = (n: number): number => Math.ceil(n / BINARY_ALIGNMENT) * BINARY_ALIGNMENT;

/**
 * Encodes one message: JSON text when it holds no typed array (byte for byte what
 * JSON.stringify gives), otherwise one binary frame. Throws a TypeError for a typed array kind
 * the format does not carry.
 */
export function encodeMessage(message: unknown): string | Uint8Array {
  // Most messages hold no typed array (and some hold 784,000 numbers in rows): a plain walk
  // finds out faster than a replacer called on every value.
  if (!mayHoldTypedArray(message, 0)) return JSON.stringify(message);
  const arrays: BinaryArray[] = [];
  // The holder's own value, not the one handed in: that one has been through toJSON already,
  // which turns a Node Buffer into { type: 'Buffer', data: [...] }.
  const text = JSON.stringify(message, function (this: Record<string, unknown>, key, value) {
    const raw = this[key];
    if (binaryTypeOf(raw) === null) return value as unknown;
    arrays.push(raw as BinaryArray);
    return { $binary: arrays.length - 1 };
  });
  if (arrays.length === 0) return text;
  if (arrays.length > MAX_BINARY_BUFFERS)
    throw new TypeError(`a message may hold at most ${MAX_BINARY_BUFFERS} typed arrays`);

  // The header's size depends on the offsets it lists, and the offsets on the header's size:
  // lay the buffers out after a header written with a guessed size, and grow the guess until
  // the header fits (at most a couple of rounds: offsets only get longer by a digit or so).
  let reserved = alignUp(PREFIX_BYTES + text.length + 64 * arrays.length);
  for (;;) {
    const buffers: BufferDescriptor[] = [];
    let offset = reserved;
    for (const array of arrays) {
      buffers.push({
        type: binaryTypeOf(array) as BinaryArrayType,
        byteOffset: offset,
        length: array.length,
      });
      offset = alignUp(offset + array.byteLength);
    }
    const header = new TextEncoder().encode(
      `{"buffers":${JSON.stringify(buffers)},"message":${text}}`,
    );
    if (PREFIX_BYTES + header.length > reserved) {
      reserved = alignUp(PREFIX_BYTES + header.length);
      continue;
    }
    const last = buffers[buffers.length - 1] as BufferDescriptor;
    const total = last.byteOffset + (arrays[arrays.length - 1] as BinaryArray).byteLength;
    const frame = new Uint8Array(total);
    frame.set(MAGIC, 0);
    new DataView(frame.buffer).setUint32(4, header.length, true);
    frame.set(header, PREFIX_BYTES);
    arrays.forEach((array, i) => {
      // Only the view's own bytes: a subarray of a larger buffer sends its window, nothing else.
      frame.set(
        new Uint8Array(array.buffer, array.byteOffset, array.byteLength),
        (buffers[i] as BufferDescriptor).byteOffset,
      );
    });
    return frame;
  }
}

export interface DecodeOptions {
  /** The largest frame accepted (the server's maxPayload); checked before anything else. */
  maxBytes?: number;
}

function fail(reason: string): never {
  throw new BinaryFrameError(`malformed binary frame: ${reason}`);
}

function readDescriptors(raw: unknown, headerEnd: number, total: number): BufferDescriptor[] {
  if (!Array.isArray(raw)) fail('"buffers" is not an array');
  if (raw.length === 0) fail('a binary frame lists no buffers');
  if (raw.length > MAX_BINARY_BUFFERS) fail(`more than ${MAX_BINARY_BUFFERS} buffers`);
  let end = headerEnd;
  return raw.map((d: unknown, i): BufferDescriptor => {
    if (typeof d !== 'object' || d === null) fail(`buffer ${i} is not an object`);
    const { type, byteOffset, length } = d as Record<string, unknown>;
    if (typeof type !== 'string' || !Object.hasOwn(TYPED_ARRAYS, type))
      fail(`buffer ${i} has an unknown type`);
    if (!Number.isSafeInteger(byteOffset) || (byteOffset as number) < 0)
      fail(`buffer ${i} has no valid byteOffset`);
    if (!Number.isSafeInteger(length) || (length as number) < 0)
      fail(`buffer ${i} has no valid length`);
    const offset = byteOffset as number;
    if (offset % BINARY_ALIGNMENT !== 0)
      fail(`buffer ${i} is not aligned to ${BINARY_ALIGNMENT} bytes`);
    if (offset < end) fail(`buffer ${i} overlaps the header or the buffer before it`);
    const bytes = (length as number) * TYPED_ARRAYS[type as BinaryArrayType].BYTES_PER_ELEMENT;
    // Compared before anything is allocated: a declared length of 2^50 is refused here.
    if (offset + bytes > total) fail(`buffer ${i} ends past the frame`);
    end = offset + bytes;
    return { type: type as BinaryArrayType, byteOffset: offset, length: length as number };
  });
}

/**
 * Decodes one binary frame into its message, each placeholder replaced by a fresh typed array
 * (a copy: nothing aliases the frame, so passing a result on — to the engine process, to a
 * worker — sends only its own bytes). Throws BinaryFrameError for any fault.
 */
export function decodeBinaryFrame(frame: Uint8Array, options: DecodeOptions = {}): unknown {
  const total = frame.byteLength;
  if (options.maxBytes !== undefined && total > options.maxBytes)
    fail(`${total} bytes is over the limit of ${options.maxBytes}`);
  if (total < PREFIX_BYTES) fail('shorter than its 8-byte prefix');
  if (MAGIC.some((b, i) => frame[i] !== b)) fail('it does not start with "LNB1"');
  const headerLength = new DataView(frame.buffer, frame.byteOffset, total).getUint32(4, true);
  const headerEnd = PREFIX_BYTES + headerLength;
  if (headerEnd > total) fail('the header runs past the frame');
  let header: unknown;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(frame.subarray(PREFIX_BYTES, headerEnd)),
    );
  } catch {
    fail('the header is not UTF-8 JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    fail('the header is not an object');
  const { buffers: rawBuffers, message } = header as Record<string, unknown>;
  if (!Object.hasOwn(header, 'message')) fail('the header has no "message"');
  const buffers = readDescriptors(rawBuffers, headerEnd, total);
  const last = buffers[buffers.length - 1] as BufferDescriptor;
  if (last.byteOffset + last.length * TYPED_ARRAYS[last.type].BYTES_PER_ELEMENT !== total)
    fail('bytes after the last buffer');

  const used = new Array<boolean>(buffers.length).fill(false);
  const revive = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(revive);
    if (typeof value !== 'object' || value === null) return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === '$binary') {
      const index = (value as { $binary: unknown }).$binary;
      if (!Number.isInteger(index) || (index as number) < 0 || (index as number) >= buffers.length)
        fail('a placeholder names no buffer');
      if (used[index as number]) fail(`buffer ${index as number} is referenced twice`);
      used[index as number] = true;
      const d = buffers[index as number] as BufferDescriptor;
      const Ctor = TYPED_ARRAYS[d.type];
      const array = new Ctor(d.length);
      new Uint8Array(array.buffer).set(
        frame.subarray(d.byteOffset, d.byteOffset + array.byteLength),
      );
      return array;
    }
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      // JSON.parse makes "__proto__" an own key; assigning it would set the prototype instead.
      Object.defineProperty(out, key, {
        value: revive((value as Record<string, unknown>)[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
  let revived: unknown;
  try {
    revived = revive(message);
  } catch (error) {
    // A hostile header nested deeper than the stack: refused like any other fault.
    if (error instanceof RangeError) fail('the message is nested too deeply');
    throw error;
  }
  const unused = used.indexOf(false);
  if (unused !== -1) fail(`buffer ${unused} is referenced by no placeholder`);
  return revived;
}

/** Whether a frame's bytes look like this format (to tell it from other binary data). */
export function isBinaryFrame(frame: Uint8Array): boolean {
  return frame.byteLength >= PREFIX_BYTES && MAGIC.every((b, i) => frame[i] === b);
}
