import { describe, expect, it } from 'vitest';
import {
  entryPath,
  isImageName,
  pickedSources,
  walkEntries,
  type EntryLike,
} from '../../../../src/renderer/src/features/classify/classify-sources';

interface FakeFile {
  name: string;
}

/** Fake entries shaped like the browser's FileSystemEntry tree. */
function file(fullPath: string, readable = true): EntryLike & { file: unknown } {
  const name = fullPath.split('/').pop() as string;
  return {
    isFile: true,
    isDirectory: false,
    name,
    fullPath,
    file: (ok: (f: FakeFile) => void, fail: (e: unknown) => void) =>
      readable ? ok({ name }) : fail({ name: 'NotReadableError' }),
  };
}

let readEntriesCalls = 0;
function folder(fullPath: string, children: EntryLike[], readable = true): EntryLike {
  return {
    isFile: false,
    isDirectory: true,
    name: fullPath.split('/').pop() as string,
    fullPath,
    createReader: () => {
      let offset = 0;
      return {
        // Like Chromium: at most 100 entries per call, then an empty batch.
        readEntries: (ok: (e: EntryLike[]) => void, fail: (e: unknown) => void) => {
          readEntriesCalls++;
          if (!readable) return fail({ name: 'NotReadableError' });
          const batch = children.slice(offset, offset + 100);
          offset += batch.length;
          ok(batch);
        },
      };
    },
  } as EntryLike;
}

describe('walkEntries', () => {
  it('walks folders recursively in name order, taking only image files inside folders', async () => {
    const tree = folder('/digits', [
      file('/digits/b.png'),
      file('/digits/notes.txt'),
      folder('/digits/more', [file('/digits/more/c.JPG'), file('/digits/more/.DS_Store')]),
      file('/digits/a.webp'),
    ]);
    const sources = await walkEntries<FakeFile>([tree, file('/named.txt')]);
    // A file dropped by itself is always taken (it becomes an error row if it is no image).
    expect(sources.map((s) => s.path)).toEqual([
      'digits/a.webp',
      'digits/b.png',
      'digits/more/c.JPG',
      'named.txt',
    ]);
    expect(await sources[1]?.open()).toEqual({ name: 'b.png' });
  });

  it('reads big folders to the end (readEntries answers in batches)', async () => {
    readEntriesCalls = 0;
    const many = Array.from({ length: 250 }, (_, i) =>
      file(`/big/${String(i).padStart(3, '0')}.png`),
    );
    const found: number[] = [];
    const sources = await walkEntries<FakeFile>([folder('/big', many)], (n) => found.push(n));
    expect(sources).toHaveLength(250);
    expect(readEntriesCalls).toBe(4); // 100 + 100 + 50 + the empty batch
    expect(found.at(-1)).toBe(250);
  });

  it('turns an unreadable folder or file into a source that fails with a reason', async () => {
    const sources = await walkEntries<FakeFile>([
      folder('/locked', [], false),
      folder('/ok', [file('/ok/x.png', false)]),
    ]);
    expect(sources.map((s) => s.path)).toEqual(['locked', 'ok/x.png']);
    await expect(sources[0]?.open()).rejects.toThrow('permission denied');
    await expect(sources[1]?.open()).rejects.toThrow('permission denied');
  });
});

describe('picked files', () => {
  it('keeps every file picked directly and only images from a picked folder', () => {
    const files = [
      { name: 'z.png', webkitRelativePath: '' },
      { name: 'readme.md', webkitRelativePath: '' },
      { name: 'b.gif', webkitRelativePath: 'set/b.gif' },
      { name: 'Thumbs.db', webkitRelativePath: 'set/Thumbs.db' },
    ];
    expect(pickedSources(files).map((s) => s.path)).toEqual(['z.png', 'readme.md', 'set/b.gif']);
  });

  it('sorts a picked folder by path (browsers list it in no useful order)', () => {
    const files = ['set/10.png', 'set/sub/1.png', 'set/02.png', 'set/01.png'].map((p) => ({
      name: p.split('/').pop() as string,
      webkitRelativePath: p,
    }));
    expect(pickedSources(files).map((s) => s.path)).toEqual([
      'set/01.png',
      'set/02.png',
      'set/10.png',
      'set/sub/1.png',
    ]);
  });

  it('recognises image names and entry paths', () => {
    expect(['a.png', 'b.jpeg', 'c.JPG', 'd.bmp', 'e.gif', 'f.webp'].every(isImageName)).toBe(true);
    expect(isImageName('g.tiff')).toBe(false);
    expect(
      entryPath({ isFile: true, isDirectory: false, name: 'x.png', fullPath: '/a/x.png' }),
    ).toBe('a/x.png');
  });
});
