// Which paths the UI may make the engine read or write, the same rule in both hosts. Allowed:
// what the person chose in this session (Electron: a native dialog; browser mode: a path they
// typed and submitted, which the UI registers with the grantPath operation), plus, for reading
// only, the runs folder and the bundled data. Everything is compared as real paths (symlinks
// resolved, `..` gone), and the dispatcher hands the engine the resolved path it checked, so a
// link inside a chosen folder cannot lead out of it.
import { realpath } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { PathUse } from '../shared/operations';

export class PathRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PathRefusedError';
  }
}

const WHAT: Record<PathUse, string> = {
  dataset: 'dataset folder',
  model: 'model',
  export: 'export folder',
};

/** Where a read-only root may be used: reading a dataset or a model, never an export. */
const READ_USES: ReadonlySet<PathUse> = new Set(['dataset', 'model']);

/** Folders a typed path may never open up: the system's, and the home folder's own secrets. */
const SYSTEM_FOLDERS = [
  '/etc',
  '/proc',
  '/sys',
  '/dev',
  '/boot',
  '/root',
  '/run',
  '/usr',
  '/bin',
  '/sbin',
  '/lib',
  '/lib64',
];

export interface FolderPolicyOptions {
  /** How the person grants a path in this host, for the refusal message. */
  howToChoose: string;
  /** Roots readable without a grant (the runs folder, the bundled data); may resolve late. */
  readOnlyRoots?: () => Promise<string[]>;
  /** For tests: the home folder whose root and dot-folders cannot be granted by typing. */
  home?: string;
}

export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * The real path of `candidate`: links resolved in the part that exists, the rest (a folder an
 * export will create) appended. Relative paths are refused: there is no folder they would be
 * relative to that the person could know.
 */
export async function resolveReal(candidate: string): Promise<string> {
  if (!path.isAbsolute(candidate)) {
    throw new PathRefusedError(`${candidate} is not an absolute path`);
  }
  let existing = path.resolve(candidate);
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(await realpath(existing), ...rest);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const parent = path.dirname(existing);
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === existing) throw error;
      rest.unshift(path.basename(existing));
      existing = parent;
    }
  }
}

export class FolderPolicy {
  private readonly granted = new Map<string, 'dialog' | 'typed'>();
  private readonly home: string;

  constructor(private readonly options: FolderPolicyOptions) {
    this.home = options.home ?? os.homedir();
  }

  /**
   * A folder or file the person chose. A dialog pick is taken as is (the person saw the
   * system's own picker); a typed path may not open up the filesystem root, system folders,
   * the home folder itself or its hidden folders (~/.ssh and the like). Returns the real path.
   */
  async grant(candidate: string, how: 'dialog' | 'typed'): Promise<string> {
    const real = await resolveReal(candidate);
    if (how === 'typed') {
      const reason = this.protectedReason(real);
      if (reason) throw new PathRefusedError(`${candidate} cannot be used: ${reason}`);
    }
    this.granted.set(real, how);
    return real;
  }

  /** The real path to use for `candidate`, or a PathRefusedError naming the path and the rule. */
  async check(use: PathUse, candidate: string): Promise<string> {
    const real = await resolveReal(candidate);
    for (const root of this.granted.keys()) if (isInside(root, real)) return real;
    if (READ_USES.has(use)) {
      for (const root of (await this.options.readOnlyRoots?.()) ?? []) {
        if (isInside(await resolveReal(root), real)) return real;
      }
    }
    const resolvedNote = real === path.resolve(candidate) ? '' : ` (resolves to ${real})`;
    throw new PathRefusedError(
      `${WHAT[use]} ${candidate}${resolvedNote} was not chosen in this session: ` +
        `${this.options.howToChoose}. Allowed: folders chosen in this session` +
        (READ_USES.has(use) ? ', the runs folder and the bundled data' : '') +
        '.',
    );
  }

  private protectedReason(real: string): string | null {
    if (path.parse(real).root === real) return 'it is the root of the filesystem';
    for (const folder of SYSTEM_FOLDERS) {
      if (isInside(folder, real)) return `it is inside the system folder ${folder}`;
    }
    if (real === this.home) return 'it is the whole home folder (choose a folder inside it)';
    const inHome = path.relative(this.home, real);
    if (isInside(this.home, real) && inHome.split(path.sep)[0]?.startsWith('.')) {
      return 'it is inside a hidden folder of the home folder';
    }
    return null;
  }
}
