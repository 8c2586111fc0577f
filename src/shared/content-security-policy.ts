// The renderer's Content Security Policy, defined once for every place that states it: the
// <meta> tag of the built index.html (written by the Vite config at build time), the header
// the browser-mode server sends, and the header Electron's app:// protocol sends. Browsers
// enforce every policy they are given, so the page runs under the narrowest of them: in
// Electron no WebSocket at all (it talks over IPC), in browser mode only its own server's.

export interface CspOptions {
  /** Extra connect-src sources beyond 'self' (a WebSocket origin). */
  connect?: string[];
  /** Vite's dev server injects <style> tags and talks to its HMR socket; builds do neither. */
  dev?: boolean;
  /** frame-ancestors is honoured only in a header, never in a <meta> tag. */
  header?: boolean;
}

/**
 * Starts from nothing allowed and adds only what the Vue app needs: its own scripts and styles
 * (no inline script, no eval: templates are compiled at build time; Vue's :style bindings and
 * chart.js set styles through the CSSOM, which CSP does not restrict), images it makes from
 * canvases and dropped files (data:/blob:), bundled fonts.
 */
export function contentSecurityPolicy({
  connect = [],
  dev = false,
  header = false,
}: CspOptions = {}): string {
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

/** Vite's HMR socket during `electron-vite dev` (dev only). */
const DEV_SOCKETS = ['ws://localhost:*', 'ws://127.0.0.1:*'];

/**
 * The built page's <meta> policy: the browser-mode WebSocket on loopback, any port (the server
 * picks a free one and narrows this to its own in a header; Electron's header allows none).
 */
export function rendererMetaPolicy(dev = false): string {
  return contentSecurityPolicy({ connect: dev ? DEV_SOCKETS : ['ws://127.0.0.1:*'], dev });
}

/** Browser mode's header: the WebSocket of this server's own origin, nothing else. */
export function browserModePolicy(webSocketOrigin: string): string {
  return contentSecurityPolicy({ connect: [webSocketOrigin], header: true });
}

/** Electron's header: no WebSocket (IPC only), except Vite's HMR socket in dev. */
export function electronPolicy(dev: boolean): string {
  return contentSecurityPolicy({ connect: dev ? DEV_SOCKETS : [], dev, header: true });
}

/** The placeholder index.html carries where the build writes rendererMetaPolicy(). */
export const CSP_PLACEHOLDER = '%LENET_STUDIO_CSP%';
