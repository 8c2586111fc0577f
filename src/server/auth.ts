// Who may talk to the browser-mode server: whoever holds the token it printed (in the URL, or
// in the cookie set when that URL was first opened), from the server's own origin and Host.
// The Host check defeats DNS rebinding; the Origin check stops other sites' pages from opening
// a WebSocket to us (browsers do not apply the same-origin policy to WebSockets).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function createToken(): string {
  return randomBytes(32).toString('hex');
}

/** Constant-time comparison, so the token cannot be guessed byte by byte from timings. */
export function tokenMatches(candidate: string | null | undefined, token: string): boolean {
  if (typeof candidate !== 'string') return false;
  const a = Buffer.from(candidate);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Cookies are shared by all ports of a host, so the name carries the port. */
export function cookieName(port: number): string {
  return `lenet_studio_${port}`;
}

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export function sessionCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

export interface AccessPolicy {
  token: string;
  port: number;
  /** e.g. "127.0.0.1:43210": the only Host header accepted. */
  hostHeader: string;
  /** e.g. "http://127.0.0.1:43210": the only Origin accepted for WebSockets. */
  origin: string;
}

export type AccessDecision =
  { ok: true; viaQuery: boolean } | { ok: false; status: 401 | 403; reason: string };

/** Checks Host and token (query `token` or the session cookie). */
export function checkAccess(req: IncomingMessage, url: URL, policy: AccessPolicy): AccessDecision {
  if (req.headers.host !== policy.hostHeader) {
    return { ok: false, status: 403, reason: 'unexpected Host header' };
  }
  if (tokenMatches(url.searchParams.get('token'), policy.token)) {
    return { ok: true, viaQuery: true };
  }
  if (tokenMatches(readCookie(req.headers.cookie, cookieName(policy.port)), policy.token)) {
    return { ok: true, viaQuery: false };
  }
  return { ok: false, status: 401, reason: 'missing or wrong token' };
}

/** WebSocket handshakes additionally need our exact Origin. */
export function checkWebSocketAccess(
  req: IncomingMessage,
  url: URL,
  policy: AccessPolicy,
): AccessDecision {
  const access = checkAccess(req, url, policy);
  if (!access.ok) return access;
  if (req.headers.origin !== policy.origin) {
    return { ok: false, status: 403, reason: 'origin not allowed' };
  }
  return access;
}
