// The renderer's Content Security Policy, in one place: the browser-mode server sends it as a
// header (pinned to its own WebSocket), and during `electron-vite dev` a Vite plugin relaxes the
// <meta> policy in src/renderer/index.html just enough for the dev server to work.
import type { Plugin } from 'vite';

export interface CspOptions {
  /** Extra connect-src sources (the WebSocket), beyond 'self'. */
  connect: string[];
  /** Vite's dev server injects <style> tags and talks to its HMR socket; builds do neither. */
  dev?: boolean;
  /** frame-ancestors is honoured only in a header, never in a <meta> tag. */
  header?: boolean;
}

export function contentSecurityPolicy({
  connect,
  dev = false,
  header = false,
}: CspOptions): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    dev ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    ["connect-src 'self'", ...connect].join(' '),
    "base-uri 'none'",
    "form-action 'none'",
    ...(header ? ["frame-ancestors 'none'"] : []),
    "object-src 'none'",
  ].join('; ');
}

const META_CSP = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")[^"]*(")/;

/** Dev server only: swaps the page's <meta> policy for one that lets Vite's HMR work. */
export function rendererDevCsp(): Plugin {
  return {
    name: 'lenet-studio:renderer-dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      const policy = contentSecurityPolicy({
        connect: ['ws://localhost:*', 'ws://127.0.0.1:*'],
        dev: true,
      });
      return html.replace(META_CSP, `$1${policy}$2`);
    },
  };
}
