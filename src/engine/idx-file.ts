// Reads IDX files from disk, raw or gzip-compressed, validating before allocating.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { OPEN_NONBLOCKING, readFully, readRegularFile } from './read-files';
import { IdxError, MAX_IDX_DATA_BYTES, parseIdxHeader, type IdxExpectation } from '../shared/idx';

export interface IdxContent {
  dims: number[];
  data: Uint8Array;
}

const MAX_HEADER = 4 + 4 * 255;

const TRUNCATED = 'is truncated: its gzip data ends early (copy or download the file again)';
const isTruncation = (err: unknown) => /unexpected end of file/i.test((err as Error).message);
const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
/** Loads one IDX file; errors are IdxErrors naming the file and the fault. */
export async function loadIdx(file: string, expect: IdxExpectation): Promise<IdxContent> {
  const name = path.basename(file);
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (err) {
    throw new IdxError(file, `cannot be read (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  if (!stat.isFile()) throw new IdxError(file, 'is not a regular file');
  return file.endsWith('.gz')
    ? loadGzip(file, name, stat.size, expect)
    : loadRaw(file, stat.size, expect);
}

async function loadRaw(file: string, size: number, expect: IdxExpectation): Promise<IdxContent> {
  // Non-blocking open and a check on the handle: a FIFO swapped in after the stat above cannot
  // hang the engine, and the file read is the file measured.
  const handle = await fs.open(file, OPEN_NONBLOCKING);
  try {
    const opened = await handle.stat();
    if (!opened.isFile() || opened.size !== size)
      throw new IdxError(file, 'changed while being read (not the regular file it was)');
    // Header first: the body is only read once its size is known to match the file length.
    const head = new Uint8Array(Math.min(size, MAX_HEADER));
    await readFully(handle, head);
    const header = parseIdxHeader(head, size, file, expect);
    const data = new Uint8Array(header.dataBytes);
    const bytesRead = await readFully(handle, data, header.headerBytes);
    if (bytesRead !== data.length) {
      throw new IdxError(file, `short read: ${bytesRead} of ${data.length} bytes`);
    }
    return { dims: header.dims, data };
  } finally {
    await handle.close();
  }
}

async function loadGzip(
  file: string,
  _name: string,
  compressedSize: number,
  expect: IdxExpectation,
): Promise<IdxContent> {
  if (compressedSize < 18)
    throw new IdxError(file, `too short to be gzip (${compressedSize} bytes)`);
  // Deflate expands incompressible data by well under 1%: a .gz larger than this cannot hold
  // an IDX file within the data limit, so it is refused before being read.
  const maxCompressed = Math.ceil((MAX_IDX_DATA_BYTES + MAX_HEADER) * 1.01) + 1024;
  let compressed: Buffer;
  try {
    compressed = await readRegularFile(file, {
      maxBytes: maxCompressed,
      expectedBytes: compressedSize,
    });
  } catch (err) {
    throw new IdxError(file, (err as Error).message.slice(file.length + 1));
  }
  if (compressed[0] !== 0x1f || compressed[1] !== 0x8b) {
    throw new IdxError(file, 'is named .gz but is not gzip data');
  }
  // The gzip trailer declares the uncompressed size (mod 2^32): refuse absurd ones up front and
  // cap the inflater there, so a decompression bomb cannot grow past it.
  const declared = compressed.readUInt32LE(compressed.length - 4);
  const limit = MAX_IDX_DATA_BYTES + MAX_HEADER;
  if (declared > limit) {
    // A cut-off file's last four bytes are not a trailer at all, so an absurd size is most often
    // truncation: inflate up to the cap to tell the two apart.
    try {
      zlib.gunzipSync(compressed, { maxOutputLength: limit });
    } catch (err) {
      if (isTruncation(err)) throw new IdxError(file, TRUNCATED);
    }
    throw new IdxError(file, `inflates to more than an IDX file may hold (${mib(limit)} MiB)`);
  }
  let raw: Buffer;
  try {
    raw = zlib.gunzipSync(compressed, { maxOutputLength: Math.max(declared, 1) });
  } catch (err) {
    const message = (err as Error).message;
    if (isTruncation(err)) throw new IdxError(file, TRUNCATED);
    throw new IdxError(
      file,
      /larger than|maxOutputLength|Cannot create/.test(message)
        ? 'inflates past the size its gzip trailer declares'
        : `corrupt gzip data (${message})`,
    );
  }
  const bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.length);
  const header = parseIdxHeader(bytes.subarray(0, MAX_HEADER), bytes.length, file, expect);
  return { dims: header.dims, data: bytes.subarray(header.headerBytes) };
}
