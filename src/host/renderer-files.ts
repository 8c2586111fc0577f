// Finds the built renderer's files for both hosts (the browser-mode server over HTTP, Electron's
// app:// protocol): files under one folder only (no `..`, no encoded slashes, no symlinks out),
// with explicit content types.
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

export type StaticLookup =
  | { kind: 'file'; path: string; size: number; contentType: string }
  | { kind: 'not-found' }
  | { kind: 'forbidden' };

/**
 * Maps a URL pathname (still percent-encoded) to a file under `root`. `root` must be an
 * absolute, real path (see realRoot).
 */
export async function lookupStatic(root: string, pathname: string): Promise<StaticLookup> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { kind: 'forbidden' };
  }
  // NUL bytes and backslashes have no business in our asset names.
  if (decoded.includes('\0') || decoded.includes('\\')) return { kind: 'forbidden' };
  const relative = decoded.replace(/^\/+/, '');
  let full = path.resolve(root, relative === '' ? 'index.html' : relative);
  if (!isInside(root, full)) return { kind: 'forbidden' };

  try {
    let info = await stat(full);
    if (info.isDirectory()) {
      full = path.join(full, 'index.html');
      info = await stat(full);
    }
    if (!info.isFile()) return { kind: 'not-found' };
    // A symlink inside the folder may still point outside it.
    const real = await realpath(full);
    if (!isInside(root, real)) return { kind: 'forbidden' };
    const contentType =
      CONTENT_TYPES[path.extname(real).toLowerCase()] ?? 'application/octet-stream';
    return { kind: 'file', path: real, size: info.size, contentType };
  } catch {
    return { kind: 'not-found' };
  }
}

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root + path.sep);
}

export async function realRoot(dir: string): Promise<string> {
  return realpath(path.resolve(dir));
}
