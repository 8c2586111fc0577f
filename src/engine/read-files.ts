// Reading files named by requests or by other files (model.json, weight shards, run.json,
// checkpoint state): regular files only, opened so that a FIFO or a device cannot block the
// engine (O_NONBLOCK, then fstat on the open handle: no window between check and read), size
// capped before anything is read, and errors that name the file and the fault, not its bytes.
import { constants, promises as fs } from 'node:fs';

/** Read-only and non-blocking: opening a FIFO would otherwise wait for a writer for ever. */
export const OPEN_NONBLOCKING = constants.O_RDONLY | constants.O_NONBLOCK;

/**
 * Fills `bytes` from `position` of an open file, looping over short reads; returns how many
 * bytes it got (fewer only at the end of the file).
 */
export async function readFully(
  handle: fs.FileHandle,
  bytes: Uint8Array,
  position = 0,
): Promise<number> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesRead } = await handle.read(
      bytes,
      offset,
      bytes.length - offset,
      position + offset,
    );
    if (bytesRead === 0) break;
    offset += bytesRead;
  }
  return offset;
}

export class FileReadError extends Error {
  constructor(
    readonly file: string,
    readonly code: string | undefined,
    fault: string,
  ) {
    super(`${file} ${fault}`);
    this.name = 'FileReadError';
  }
}

function openError(file: string, err: unknown): FileReadError {
  const code = (err as NodeJS.ErrnoException).code;
  const fault =
    code === 'ENOENT'
      ? 'does not exist'
      : code === 'EACCES' || code === 'EPERM'
        ? 'cannot be read (permission denied)'
        : code === 'ELOOP'
          ? 'is a symbolic link loop'
          : `cannot be read (${code ?? 'error'})`;
  return new FileReadError(file, code, fault);
}

/**
 * The bytes of regular file `file`, refusing anything over `maxBytes` before reading, and, if
 * `expectedBytes` is given, any other size (checked on the open handle, so the file read is the
 * file measured).
 */
export async function readRegularFile(
  file: string,
  limits: { maxBytes: number; expectedBytes?: number },
): Promise<Buffer> {
  const handle = await fs.open(file, OPEN_NONBLOCKING).catch((err: unknown) => {
    throw openError(file, err);
  });
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new FileReadError(file, undefined, 'is not a regular file');
    if (limits.expectedBytes !== undefined && stat.size !== limits.expectedBytes)
      throw new FileReadError(
        file,
        undefined,
        `is ${stat.size} bytes; ${limits.expectedBytes} were expected (it changed while being read)`,
      );
    if (stat.size > limits.maxBytes)
      throw new FileReadError(
        file,
        undefined,
        `is ${stat.size} bytes, over the ${limits.maxBytes}-byte limit`,
      );
    const bytes = Buffer.alloc(stat.size);
    const offset = await readFully(handle, bytes);
    if (offset !== bytes.length)
      throw new FileReadError(
        file,
        undefined,
        `was cut short while being read (${offset} of ${stat.size} bytes)`,
      );
    return bytes;
  } catch (err) {
    if (err instanceof FileReadError) throw err;
    throw openError(file, err);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** A small text file (JSON): a regular file of at most `maxBytes`, as UTF-8. */
export async function readSmallFile(file: string, maxBytes: number): Promise<string> {
  return (await readRegularFile(file, { maxBytes })).toString('utf8');
}
