// Sends the built renderer's files over HTTP (found by src/host/renderer-files.ts).
import { createReadStream } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import type { StaticLookup } from '../host/renderer-files';

export { lookupStatic, realRoot } from '../host/renderer-files';

/** Sends a file found by lookupStatic; HEAD gets the headers only. */
export function sendFile(
  res: ServerResponse,
  file: Extract<StaticLookup, { kind: 'file' }>,
  headOnly: boolean,
): void {
  // Vite puts content-hashed bundles under assets/: those never change under the same name.
  const immutable = file.path.includes(`${path.sep}assets${path.sep}`);
  res.writeHead(200, {
    'Content-Type': file.contentType,
    'Content-Length': file.size,
    'Cache-Control': immutable ? 'private, max-age=31536000, immutable' : 'no-store',
  });
  if (headOnly) {
    res.end();
    return;
  }
  const stream = createReadStream(file.path);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
