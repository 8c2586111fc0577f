// Writes that never leave a half-written file or folder behind: everything goes to a temporary
// sibling, is flushed, and is renamed into place (rename is atomic within a file system).
import { promises as fs } from 'node:fs';
import path from 'node:path';

let counter = 0;
const tempName = (target: string) => `${target}.tmp-${process.pid}-${counter++}`;

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temp = tempName(file);
  const handle = await fs.open(temp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temp, file);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
}

/**
 * Replaces folder `dir` with one filled by `fill`, so that at every instant either the old or
 * the new complete folder exists: the new one is written aside, the old one moved to `.old`,
 * the new one renamed in, and only then is `.old` removed. `readableFolder` finds whichever is
 * complete after a crash at any point.
 */
export async function replaceFolderAtomic(
  dir: string,
  fill: (temp: string) => Promise<void>,
): Promise<void> {
  const temp = tempName(dir);
  const old = `${dir}.old`;
  await fs.mkdir(temp, { recursive: true });
  try {
    await fill(temp);
    for (const name of await fs.readdir(temp)) {
      const handle = await fs.open(path.join(temp, name), 'r');
      await handle.sync().finally(() => handle.close());
    }
  } catch (err) {
    await fs.rm(temp, { recursive: true, force: true });
    throw err;
  }
  await fs.rm(old, { recursive: true, force: true });
  const hadOld = await fs.rename(dir, old).then(
    () => true,
    () => false,
  );
  await fs.rename(temp, dir);
  if (hadOld) await fs.rm(old, { recursive: true, force: true });
}

/** The complete version of a folder written by replaceFolderAtomic, or null if none exists. */
export async function readableFolder(dir: string): Promise<string | null> {
  for (const candidate of [dir, `${dir}.old`]) {
    const stat = await fs.stat(candidate).catch(() => null);
    if (stat?.isDirectory()) return candidate;
  }
  return null;
}
