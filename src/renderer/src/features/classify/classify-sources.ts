// Where the files of a batch come from: files picked or dropped, and folders walked
// recursively through the entries API (DataTransferItem.webkitGetAsEntry). The entry shapes are
// described structurally, so the walk runs (and is tested) without a DOM.
import type { BatchSource } from './classify-batch';

/** Inside folders only image files are taken (as the CLI does); files named directly always are. */
const IMAGE_NAME = /\.(png|jpe?g|bmp|gif|webp)$/i;

export function isImageName(name: string): boolean {
  return IMAGE_NAME.test(name);
}

export interface EntryLike {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  /** "/folder/file.png" for dropped entries. */
  fullPath: string;
}

export interface FileEntryLike<F> extends EntryLike {
  file(success: (file: F) => void, failure?: (error: unknown) => void): void;
}

export interface DirectoryReaderLike {
  readEntries(success: (entries: EntryLike[]) => void, failure?: (error: unknown) => void): void;
}

export interface DirectoryEntryLike extends EntryLike {
  createReader(): DirectoryReaderLike;
}

/** "/digits/7.png" → "digits/7.png" (the CSV's path column). */
export function entryPath(entry: EntryLike): string {
  return (entry.fullPath || entry.name).replace(/^\/+/, '');
}

function describe(error: unknown, fallback: string): string {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'NotFoundError') return 'file not found (moved or deleted?)';
  if (name === 'NotReadableError' || name === 'SecurityError') return 'permission denied';
  return fallback;
}

export function fileSource<F>(path: string, file: F): BatchSource<F> {
  return { path, open: () => Promise.resolve(file) };
}

function entrySource<F>(entry: FileEntryLike<F>): BatchSource<F> {
  return {
    path: entryPath(entry),
    open: () =>
      new Promise<F>((resolve, reject) =>
        entry.file(resolve, (error) => reject(new Error(describe(error, 'cannot read the file')))),
      ),
  };
}

function failedSource<F>(path: string, reason: string): BatchSource<F> {
  return { path, open: () => Promise.reject(new Error(reason)) };
}

/** All entries of a folder: readEntries answers in batches (100 in Chromium) until empty. */
async function readAll(entry: DirectoryEntryLike): Promise<EntryLike[]> {
  const reader = entry.createReader();
  const all: EntryLike[] = [];
  for (;;) {
    const batch = await new Promise<EntryLike[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

/**
 * Expands dropped entries into file sources, folders recursively and in name order. A folder
 * that cannot be read becomes one failing source, so it shows up as one error row.
 * `onFound` reports the running count (folders of 10,000 files take a moment to list).
 */
export async function walkEntries<F>(
  entries: readonly EntryLike[],
  onFound: (count: number) => void = () => undefined,
): Promise<BatchSource<F>[]> {
  const sources: BatchSource<F>[] = [];
  const visit = async (entry: EntryLike, named: boolean): Promise<void> => {
    if (entry.isFile) {
      if (named || isImageName(entry.name)) {
        sources.push(entrySource(entry as FileEntryLike<F>));
        if (sources.length % 500 === 0) onFound(sources.length);
      }
      return;
    }
    if (!entry.isDirectory) return;
    let children: EntryLike[];
    try {
      children = await readAll(entry as DirectoryEntryLike);
    } catch (error) {
      sources.push(failedSource(entryPath(entry), describe(error, 'cannot read the folder')));
      return;
    }
    children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const child of children) await visit(child, false);
  };
  for (const entry of entries) await visit(entry, true);
  onFound(sources.length);
  return sources;
}

const byPath = <T extends { path: string }>(a: T, b: T) =>
  a.path < b.path ? -1 : a.path > b.path ? 1 : 0;

/**
 * Sources for files from an <input type=file>. A folder pick (webkitdirectory) lists every file
 * below the folder with its relative path, in no useful order: non-images are left out and the
 * rest sorted by path, as for a dropped folder (and as the CLI does). Files picked one by one
 * keep the order they came in.
 */
export function pickedSources<F extends { name: string; webkitRelativePath?: string }>(
  files: readonly F[],
): BatchSource<F>[] {
  // One pass, each File's getters read once: 10,000 picked files are 10,000 trips into the
  // browser's File objects per property read.
  const loose: BatchSource<F>[] = [];
  const inFolders: BatchSource<F>[] = [];
  for (const file of files) {
    const relative = file.webkitRelativePath;
    const name = file.name;
    if (!relative) loose.push(fileSource(name, file));
    else if (isImageName(name)) inFolders.push(fileSource(relative, file));
  }
  return [...loose, ...inFolders.sort(byPath)];
}
