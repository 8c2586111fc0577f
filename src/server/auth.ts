// Who may talk to the browser-mode server. Static files (the built renderer: public code, no
// secret) need only our Host header, which defeats DNS rebinding. The WebSocket, the only way
// to reach the engine, additionally needs our exact Origin (browsers do not apply the
// same-origin policy to WebSockets) and the token, offered as a subprotocol
// (src/shared/browser-session.ts explains why there and nowhere else). No cookie is ever set.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { tokenFromProtocolHeader } from '../shared/browser-session';

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

export interface AccessPolicy {
  token: string;
  /** e.g. "127.0.0.1:43210": the only Host header accepted. */
  hostHeader: string;
  /** e.g. "http://127.0.0.1:43210": the only Origin accepted for WebSockets. */
  origin: string;
}

export type AccessDecision = { ok: true } | { ok: false; status: 401 | 403; reason: string };

/** Static files: our Host header only. */
export function checkHost(req: IncomingMessage, policy: AccessPolicy): AccessDecision {
  if (req.headers.host !== policy.hostHeader) {
    return { ok: false, status: 403, reason: 'unexpected Host header' };
  }
  return { ok: true };
}

/** WebSocket handshakes: Host, then our exact Origin, then the token subprotocol. */
export function checkWebSocketAccess(req: IncomingMessage, policy: AccessPolicy): AccessDecision {
  const host = checkHost(req, policy);
  if (!host.ok) return host;
  if (req.headers.origin !== policy.origin) {
    return { ok: false, status: 403, reason: 'origin not allowed' };
  }
  const offered = tokenFromProtocolHeader(req.headers['sec-websocket-protocol']);
  if (!tokenMatches(offered, policy.token)) {
    return { ok: false, status: 401, reason: 'missing or wrong token' };
  }
  return { ok: true };
}
