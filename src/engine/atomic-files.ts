// Writes that never leave a half-written file or folder where a reader looks: everything goes
// to a temporary sibling with a random name, created exclusively (so no other writer, and no
// link planted in advance, can be written through), is flushed to disk, and is renamed into
// place (rename is atomic within a file system). Write errors name the file and the fault.
import { randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { injectedWriteFault, killPoint } from './test-hooks';

/** A random sibling name for `target`; the suffix is what listings and cleanups recognise. */
const tempName = (target: string, kind: 'tmp' | 'old' | 'partial') =>
  `${target}.${kind}-${randomBytes(6).toString('hex')}`;

const FAULTS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exceeded',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  EEXIST: 'it already exists',
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'part of its path is not a folder',
  EISDIR: 'it is a folder',
  EIO: 'an input/output error',
};

/** An error naming the file that could not be written and why, never quoting data. */
export class FileWriteError extends Error {
  constructor(
    readonly file: string,
    readonly code: string | undefined,
  ) {
    super(
      `could not write ${file}: ${(code && FAULTS[code]) ?? 'write failed'}${code ? ` (${code})` : ''}`,
    );
    this.name = 'FileWriteError';
  }
}

const codeOf = (err: unknown) => (err as NodeJS.ErrnoException).code;
const asWriteError = (file: string, err: unknown) =>
  err instanceof FileWriteError ? err : new FileWriteError(file, codeOf(err));

/** One write call may write less than asked (a disk filling up): loop until all is written. */
async function writeFully(handle: fs.FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
    offset += bytesWritten;
  }
}

/** Writes all of `data` through `handle` (in two halves: a crash can land between them). */
async function writeAll(handle: fs.FileHandle, file: string, data: string | Uint8Array) {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  try {
    injectedWriteFault(file);
    const half = bytes.length >> 1;
    await writeFully(handle, bytes.subarray(0, half));
    killPoint('write-half');
    await writeFully(handle, bytes.subarray(half));
  } catch (err) {
    throw asWriteError(file, err);
  }
}

/** An error about a file in folder `temp`, restated for the same file in `dir` (its real name). */
function renamedError(err: unknown, temp: string, dir: string): unknown {
  if (err instanceof FileWriteError && err.file.startsWith(temp))
    return new FileWriteError(dir + err.file.slice(temp.length), err.code);
  return err;
}

/** Flushes a folder's entries (the renames in it) to disk; not every file system can. */
async function syncFolder(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r').catch(() => null);
  if (!handle) return;
  await handle
    .sync()
    .catch(() => undefined)
    .finally(() => handle.close());
}

/**
 * Creates `file`, which must not exist, writes `data` and flushes it. For files inside a
 * folder that is itself being written aside (a checkpoint or export being assembled).
 */
export async function writeNewFile(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await fs.open(file, 'wx').catch((err: unknown) => {
    throw asWriteError(file, err);
  });
  try {
    await writeAll(handle, file, data);
    await handle.sync().catch((err: unknown) => {
      throw asWriteError(file, err);
    });
  } finally {
    await handle.close();
  }
}

/** A file written piece by piece that appears at `file` only once committed (the CSV export). */
export interface AtomicFileWriter {
  write(data: string | Uint8Array): Promise<void>;
  /** Flushes and renames into place, replacing any earlier `file`. */
  commit(): Promise<void>;
  /** Removes the temporary file; `file` is untouched. */
  abort(): Promise<void>;
}

export interface AtomicWriteOptions {
  /** Permission bits of the new file (e.g. 0o600 for a secret); default 0o666 less the umask. */
  mode?: number;
}

export async function openAtomicWriter(
  file: string,
  options: AtomicWriteOptions = {},
): Promise<AtomicFileWriter> {
  const target = path.resolve(file);
  const temp = tempName(target, 'tmp');
  const handle = await fs.open(temp, 'wx', options.mode ?? 0o666).catch((err: unknown) => {
    throw asWriteError(target, err);
  });
  let open = true;
  const close = async () => {
    if (open) {
      open = false;
      await handle.close();
    }
  };
  return {
    // Errors name the target: the temporary name means nothing to the person.
    write: (data) => writeAll(handle, target, data),
    async commit() {
      try {
        await handle.sync();
        await close();
        killPoint('file-temp-written');
        await fs.rename(temp, target);
      } catch (err) {
        await close().catch(() => undefined);
        await fs.rm(temp, { force: true });
        throw asWriteError(target, err);
      }
      await syncFolder(path.dirname(target));
    },
    async abort() {
      await close().catch(() => undefined);
      await fs.rm(temp, { force: true });
    },
  };
}

/** Replaces `file` with `data` atomically: readers see the old content or the new, whole. */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const writer = await openAtomicWriter(file, options);
  try {
    await writer.write(data);
  } catch (err) {
    await writer.abort();
    throw err;
  }
  await writer.commit();
}

/** Sibling entries of `dir` left by replaceFolderAtomic: its old copies and temporary folders. */
async function siblings(dir: string, kind: 'tmp' | 'old'): Promise<string[]> {
  const prefix = `${path.basename(dir)}.${kind}-`;
  const names = await fs.readdir(path.dirname(dir)).catch(() => [] as string[]);
  return names.filter((n) => n.startsWith(prefix)).map((n) => path.join(path.dirname(dir), n));
}

async function isFolder(p: string): Promise<boolean> {
  return (await fs.lstat(p).catch(() => null))?.isDirectory() ?? false;
}

async function syncFilesIn(folder: string): Promise<void> {
  for (const name of await fs.readdir(folder)) {
    const file = path.join(folder, name);
    const handle = await fs.open(file, 'r');
    await handle
      .sync()
      .catch((err: unknown) => {
        throw asWriteError(file, err);
      })
      .finally(() => handle.close());
  }
}

/**
 * Replaces folder `dir` with one filled by `fill`, so that at every instant a complete copy is
 * on disk under a name readableFolder finds: the new folder is written and flushed aside
 * (`dir.tmp-<random>`), the current one renamed to `dir.old-<random>`, the new one renamed to
 * `dir`, and only then is the old copy removed. One writer per folder at a time (a run's
 * checkpoint is written by the engine training that run).
 */
export async function replaceFolderAtomic(
  dir: string,
  fill: (temp: string) => Promise<void>,
): Promise<void> {
  // A crash between the two renames left the last copy under its old name: put it back first.
  await readableFolder(dir);
  // Folders a crashed writer was filling are incomplete and no one reads them.
  for (const stale of await siblings(dir, 'tmp'))
    await fs.rm(stale, { recursive: true, force: true });
  const temp = tempName(dir, 'tmp');
  await fs.mkdir(temp).catch((err: unknown) => {
    throw asWriteError(temp, err);
  });
  try {
    await fill(temp);
    await syncFilesIn(temp);
  } catch (err) {
    await fs.rm(temp, { recursive: true, force: true });
    throw renamedError(err, temp, dir);
  }
  killPoint('folder-filled');
  const old = tempName(dir, 'old');
  const hadCurrent = await isFolder(dir);
  if (hadCurrent) await fs.rename(dir, old);
  killPoint('folder-old-moved');
  try {
    await fs.rename(temp, dir);
  } catch (err) {
    if (hadCurrent) await fs.rename(old, dir).catch(() => undefined);
    await fs.rm(temp, { recursive: true, force: true });
    throw asWriteError(dir, err);
  }
  await syncFolder(path.dirname(dir));
  killPoint('folder-new-moved');
  // Every old copy is superseded now that the new folder is in place.
  for (const stale of await siblings(dir, 'old'))
    await fs.rm(stale, { recursive: true, force: true });
}

/**
 * The complete version of a folder written by replaceFolderAtomic, or null if none exists. If a
 * crash left only the old copy (between the two renames), it is renamed back into place; where
 * that is not possible (a read-only folder) the old copy itself is returned.
 */
export async function readableFolder(dir: string): Promise<string | null> {
  if (await isFolder(dir)) return dir;
  const [old] = await siblings(dir, 'old');
  if (!old || !(await isFolder(old))) return null;
  return fs.rename(old, dir).then(
    () => dir,
    () => old,
  );
}

/**
 * Creates folder `target` filled by `fill`, refusing an existing non-empty `target` and never
 * showing a partial one: the folder is assembled under a random sibling name and renamed into
 * place. rename(2) itself refuses a non-empty target folder (and replaces an empty one
 * atomically), so no check-then-remove window exists.
 */
export async function createFolderAtomic(
  target: string,
  fill: (temp: string) => Promise<void>,
): Promise<void> {
  const existing = await fs.lstat(target).catch(() => null);
  if (existing && !existing.isDirectory()) throw new Error(`${target} exists and is not a folder`);
  if (existing && (await fs.readdir(target)).length > 0)
    throw new Error(`${target} is not empty; choose a new folder`);
  await fs.mkdir(path.dirname(target), { recursive: true }).catch((err: unknown) => {
    throw asWriteError(target, err);
  });
  const temp = tempName(target, 'partial');
  await fs.mkdir(temp).catch((err: unknown) => {
    throw asWriteError(target, err);
  });
  try {
    await fill(temp);
    await syncFilesIn(temp);
    killPoint('export-filled');
    await fs.rename(temp, target).catch((err: unknown) => {
      const code = codeOf(err);
      if (code === 'ENOTEMPTY' || code === 'EEXIST')
        throw new Error(`${target} is not empty; choose a new folder`);
      if (code === 'ENOTDIR') throw new Error(`${target} exists and is not a folder`);
      throw asWriteError(target, err);
    });
  } catch (err) {
    await fs.rm(temp, { recursive: true, force: true });
    throw renamedError(err, temp, target);
  }
  await syncFolder(path.dirname(target));
}

/**
 * Creates `file`, which must not exist, with `data`: written aside and hard-linked into place,
 * so an existing file is never replaced and a partial one never shown. Where the file system
 * has no hard links, a rename after a final check (the only racy fallback).
 */
export async function createFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const target = path.resolve(file);
  await fs.mkdir(path.dirname(target), { recursive: true }).catch((err: unknown) => {
    throw asWriteError(target, err);
  });
  const temp = tempName(target, 'partial');
  try {
    await writeNewFile(temp, data).catch((err: unknown) => {
      throw asWriteError(target, err);
    });
    killPoint('file-temp-written');
    await fs.link(temp, target).catch(async (err: unknown) => {
      const code = codeOf(err);
      if (code === 'EEXIST') throw new Error(`${target} already exists; choose a new file name`);
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP')
        throw asWriteError(target, err);
      await fs.access(target, constants.F_OK).then(
        () => {
          throw new Error(`${target} already exists; choose a new file name`);
        },
        () => fs.rename(temp, target),
      );
    });
  } finally {
    await fs.rm(temp, { force: true });
  }
  await syncFolder(path.dirname(target));
}
