// Expands the files and folders named on the command line into image files, recursively.
// Each real folder is visited once, so symlink loops end instead of recursing forever; paths
// that cannot be read are returned as they are, for the engine to report as errors.
import { promises as fs } from 'node:fs';
import path from 'node:path';

const IMAGE_EXT = /\.(png|jpe?g|bmp|gif|webp)$/i;

export async function* walkImageFiles(inputs: string[]): AsyncGenerator<string> {
  const seen = new Set<string>();
  async function* visit(p: string, named: boolean): AsyncGenerator<string> {
    let stat;
    try {
      stat = await fs.stat(p);
    } catch {
      yield p; // missing, unreadable or a link loop: reported per file by the engine
      return;
    }
    if (!stat.isDirectory()) {
      if (named || IMAGE_EXT.test(p)) yield p;
      return;
    }
    const real = await fs.realpath(p).catch(() => p);
    if (seen.has(real)) return;
    seen.add(real);
    let entries: string[];
    try {
      entries = (await fs.readdir(p)).sort();
    } catch {
      yield p;
      return;
    }
    for (const entry of entries) yield* visit(path.join(p, entry), false);
  }
  for (const input of inputs) yield* visit(input, true);
}
