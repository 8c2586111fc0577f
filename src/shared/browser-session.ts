// How a browser-mode page proves it holds the server's token, without ever putting it where it
// leaks. The address the server prints carries it in the fragment (`#token=…`), which browsers
// never send to any server nor put in a Referer; the page moves it into sessionStorage (this
// tab only, gone when the tab closes) and off the address bar. The WebSocket handshake carries
// it as a second subprotocol: checked before the connection exists, so a refused client never
// gets an open socket, and it appears in no URL, no log line and no cookie (cookies reach every
// port of 127.0.0.1, i.e. any other local server). Pure logic: shared by server and renderer.

/** The protocol the server selects (echoed in the handshake; the token never is). */
export const STUDIO_WS_PROTOCOL = 'lenet-studio';
const TOKEN_PROTOCOL_PREFIX = 'lenet-studio.token.';
/** The fragment parameter of the printed address, and the sessionStorage key. */
export const TOKEN_PARAM = 'token';
export const TOKEN_STORAGE_KEY = 'lenet-studio.token';

/** Subprotocol values must be HTTP tokens; the server's own tokens are hex. */
const TOKEN_CHARS = /^[A-Za-z0-9_~.-]+$/;

export function isValidToken(token: string): boolean {
  return token.length > 0 && TOKEN_CHARS.test(token);
}

/** What the renderer passes as `new WebSocket(url, protocols)`. */
export function webSocketProtocols(token: string): string[] {
  return [STUDIO_WS_PROTOCOL, `${TOKEN_PROTOCOL_PREFIX}${token}`];
}

/** The token offered in a Sec-WebSocket-Protocol header, or null. */
export function tokenFromProtocolHeader(header: string | undefined): string | null {
  if (!header) return null;
  for (const part of header.split(',')) {
    const value = part.trim();
    if (value.startsWith(TOKEN_PROTOCOL_PREFIX)) return value.slice(TOKEN_PROTOCOL_PREFIX.length);
  }
  return null;
}

/** The address to open: the page, with the token in the fragment. */
export function studioAddress(origin: string, token: string): string {
  return `${origin}/#${TOKEN_PARAM}=${token}`;
}

/** Reads `#token=…` from a location hash ('' or '#…'); null when absent. */
export function tokenFromHash(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get(TOKEN_PARAM);
  return token && isValidToken(token) ? token : null;
}

/** The hash without its token parameter ('' when nothing else was there). */
export function hashWithoutToken(hash: string): string {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  params.delete(TOKEN_PARAM);
  const rest = params.toString();
  return rest ? `#${rest}` : '';
}
