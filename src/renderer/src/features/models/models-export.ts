// Paths for exporting and loading models, as typed (browser mode) or picked (Electron). The
// engine resolves a relative path against its own working folder, which a person cannot see,
// so only full paths are accepted. Pure: no Node path module in the renderer.

export type ExportKind = 'folder' | 'file';

export const EXPORT_KIND_LABELS: Record<ExportKind, string> = {
  folder: 'Folder (model.json + weights.bin)',
  file: 'Single .json file (weights embedded)',
};

/** "/a/b", "C:\\a", "\\\\server\\share" are full paths; "a/b" and "~/a" are not. */
export function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}

/** The separator the path already uses (Windows paths keep backslashes). */
function separatorOf(path: string): '/' | '\\' {
  return path.includes('\\') && !path.includes('/') ? '\\' : '/';
}

export function joinPath(base: string, name: string): string {
  const sep = separatorOf(base);
  const trimmed = base.replace(/[\\/]+$/, '');
  return `${trimmed}${sep}${name}`;
}

/** A file-system-safe name from a run's name: "lenet5 · 2 epochs · lr 0.003" → "lenet5-2-epochs-lr-0.003". */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80)
    .replace(/[-.]+$/g, '');
  return slug || 'model';
}

/**
 * Where to export inside a picked folder: a new sub-folder (the engine never writes into a
 * non-empty one, and a picked folder often has other files) or a new .json file.
 */
export function suggestedExportPath(base: string, runName: string, kind: ExportKind): string {
  const name = slugify(runName);
  return joinPath(base, kind === 'file' ? `${name}.json` : name);
}

/** Switching kind keeps the chosen place: "…/name" ⇄ "…/name.json". */
export function switchExportKind(path: string, kind: ExportKind): string {
  const trimmed = path.trim();
  if (!trimmed) return path;
  if (kind === 'file')
    return /\.json$/i.test(trimmed) ? trimmed : `${trimmed.replace(/[\\/]+$/, '')}.json`;
  return trimmed.replace(/\.json$/i, '');
}

/** Why the export target cannot be used, or null when it can. */
export function exportPathError(path: string, kind: ExportKind): string | null {
  const trimmed = path.trim();
  if (!trimmed) return 'Enter where to write the model.';
  if (!isAbsolutePath(trimmed)) return 'Give a full path (starting with / or a drive letter).';
  if (kind === 'file' && !/\.json$/i.test(trimmed))
    return 'A single-file export is a .json file: end the name with .json.';
  if (kind === 'folder' && /\.json$/i.test(trimmed))
    return 'A folder export writes model.json and weights.bin into a new folder: give a folder name, not a .json file.';
  return null;
}

/** Why a model location cannot be loaded from, or null (the engine checks the rest). */
export function modelPathError(path: string): string | null {
  const trimmed = path.trim();
  if (!trimmed) return 'Enter the folder with model.json, or a model .json file.';
  if (!isAbsolutePath(trimmed)) return 'Give a full path (starting with / or a drive letter).';
  return null;
}

/** The files an export wrote, as full paths. */
export function writtenPaths(result: { dir: string; files: readonly string[] }): string[] {
  return result.files.map((file) => joinPath(result.dir, file));
}
