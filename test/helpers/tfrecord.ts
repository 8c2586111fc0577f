// A minimal reader of TensorBoard event files, written for the tests: TFRecord framing (uint64
// length, masked CRC-32C of the length, data, masked CRC-32C of the data; both checked) and
// just enough of the Event / Summary protobufs to get each value's tag, step and kind.

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) crc = CRC32C_TABLE[(crc ^ b) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** TFRecord's masking of a CRC: rotate right by 15, add a constant. */
export function maskedCrc32c(bytes: Uint8Array): number {
  const crc = crc32c(bytes);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** The records of a TFRecord file; throws on a bad length or data checksum. */
export function readTfRecords(file: Uint8Array): Uint8Array[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const records: Uint8Array[] = [];
  let at = 0;
  while (at < file.length) {
    const length = Number(view.getBigUint64(at, true));
    if (view.getUint32(at + 8, true) !== maskedCrc32c(file.subarray(at, at + 8))) {
      throw new Error(`record at ${at}: bad length checksum`);
    }
    const data = file.subarray(at + 12, at + 12 + length);
    if (view.getUint32(at + 12 + length, true) !== maskedCrc32c(data)) {
      throw new Error(`record at ${at}: bad data checksum`);
    }
    records.push(data);
    at += 16 + length;
  }
  return records;
}

type Field = { number: number; wire: number; value: number | Uint8Array };

/** The top-level fields of a protobuf message (varints as numbers; fixed64 and fixed32 skipped as bytes). */
function fields(bytes: Uint8Array): Field[] {
  const out: Field[] = [];
  let at = 0;
  const varint = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[at++]!;
      result += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return result;
      shift += 7;
    }
  };
  while (at < bytes.length) {
    const key = varint();
    const number = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) out.push({ number, wire, value: varint() });
    else if (wire === 1) out.push({ number, wire, value: bytes.subarray(at, (at += 8)) });
    else if (wire === 5) out.push({ number, wire, value: bytes.subarray(at, (at += 4)) });
    else if (wire === 2) {
      const length = varint();
      out.push({ number, wire, value: bytes.subarray(at, (at += length)) });
    } else throw new Error(`unsupported wire type ${wire}`);
  }
  return out;
}

export interface SummaryValue {
  step: number;
  tag: string;
  /** simple_value (a float scalar) when the value carries one. */
  simpleValue: number | null;
  /** The summary metadata's plugin (scalars, histograms), when named. */
  plugin: string | null;
  /** Which oneof field holds the value: simple_value, histo or tensor. */
  kind: 'simple' | 'histo' | 'tensor' | 'other';
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** Every summary value of an event file, with its event's step. */
export function readSummaryValues(file: Uint8Array): SummaryValue[] {
  const values: SummaryValue[] = [];
  for (const record of readTfRecords(file)) {
    const event = fields(record);
    const step = (event.find((f) => f.number === 2)?.value as number | undefined) ?? 0;
    for (const summary of event.filter((f) => f.number === 5)) {
      for (const v of fields(summary.value as Uint8Array).filter((f) => f.number === 1)) {
        const parts = fields(v.value as Uint8Array);
        const tag = parts.find((f) => f.number === 1);
        const simple = parts.find((f) => f.number === 2);
        const metadata = parts.find((f) => f.number === 9);
        const pluginData = metadata
          ? fields(metadata.value as Uint8Array).find((f) => f.number === 1)
          : undefined;
        const pluginName = pluginData
          ? fields(pluginData.value as Uint8Array).find((f) => f.number === 1)
          : undefined;
        const kind = simple
          ? 'simple'
          : parts.some((f) => f.number === 5)
            ? 'histo'
            : parts.some((f) => f.number === 8)
              ? 'tensor'
              : 'other';
        values.push({
          step,
          tag: tag ? text(tag.value as Uint8Array) : '',
          simpleValue: simple
            ? new DataView((simple.value as Uint8Array).slice().buffer).getFloat32(0, true)
            : null,
          plugin: pluginName ? text(pluginName.value as Uint8Array) : null,
          kind,
        });
      }
    }
  }
  return values;
}
