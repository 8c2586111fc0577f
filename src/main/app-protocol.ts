// The renderer comes from app://studio/…, a custom protocol, not file://: a file:// page may
// read other file:// URLs and shares one opaque origin with every local file, while app:// is
// a standard, secure origin of its own that serves one folder (the built renderer) and nothing
// else. The resolution is a pure function (tested under plain Node); Electron's `protocol` is
// passed in.
import { readFile } from 'node:fs/promises';
import { lookupStatic, type StaticLookup } from '../host/renderer-files';

export const APP_SCHEME = 'app';
export const APP_HOST = 'studio';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** What app.ready needs declared beforehand: a standard, secure scheme (origin, storage, CSP). */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
} as const;

/** Maps an app:// request to a file under `root` (a real, absolute path), or refuses it. */
export async function resolveAppRequest(root: string, requestUrl: string): Promise<StaticLookup> {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { kind: 'forbidden' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return { kind: 'forbidden' };
  // WHATWG URL parsing has already folded `..` segments; lookupStatic refuses what remains
  // (encoded separators, NUL, links out of the folder).
  return lookupStatic(root, url.pathname);
}

/** The parts of Electron's `protocol` module used here. */
export interface ProtocolLike {
  handle(scheme: string, handler: (request: { url: string }) => Promise<Response>): void;
}

/** Serves the renderer folder on app://, each response with the page's security headers. */
export function serveAppProtocol(
  protocol: ProtocolLike,
  root: string,
  headers: Record<string, string>,
): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const found = await resolveAppRequest(root, request.url);
    if (found.kind !== 'file') {
      return new Response(found.kind, { status: found.kind === 'forbidden' ? 403 : 404 });
    }
    return new Response(await readFile(found.path), {
      status: 200,
      headers: { ...headers, 'Content-Type': found.contentType },
    });
  });
}
