// Browser mode keeps its port and token across restarts, so a tab left open reconnects by
// itself when `npm run serve` is started again. Both live in the user's config folder
// ($XDG_CONFIG_HOME/lenet-studio/browser-session.json), in a file only the user can read: the
// token is what guards the engine. A file anyone else could read or write is not trusted (a new
// session is made and saved over it), and a damaged one is named and replaced, never quoted.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../engine/atomic-files';
import { isValidToken } from '../shared/browser-session';
import { parseJson } from '../shared/safe-json';
import { createToken } from './auth';

export interface BrowserSession {
  port: number;
  token: string;
}

const SessionSchema = z
  .object({
    port: z.number().int().min(1).max(65535),
    token: z.string().min(32).max(256).refine(isValidToken, 'letters, digits and ._~- only'),
  })
  .strict();

/** A session file is never larger than this; a bigger one is not ours. */
const MAX_SESSION_BYTES = 4096;

export function defaultSessionFile(): string {
  const base = process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'lenet-studio', 'browser-session.json');
}

export type SessionLoad =
  { session: BrowserSession; warning?: undefined } | { session: null; warning?: string };

/** The saved session, or null (with why, when a file was there but could not be used). */
export async function loadSession(file: string): Promise<SessionLoad> {
  const stat = await fs.lstat(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw new Error(`${file}: cannot be read (${err.code ?? err.message})`);
  });
  if (!stat) return { session: null };
  if (!stat.isFile()) return { session: null, warning: `${file} is not a regular file; ignored` };
  const uid = process.getuid?.();
  if ((uid !== undefined && stat.uid !== uid) || (stat.mode & 0o077) !== 0) {
    return {
      session: null,
      warning: `${file} could be read or changed by other users; a new token replaces it`,
    };
  }
  if (stat.size > MAX_SESSION_BYTES) {
    return { session: null, warning: `${file} is too large to be a session file; replaced` };
  }
  let json: unknown;
  try {
    json = parseJson(await fs.readFile(file, 'utf8'), file);
  } catch (err) {
    return { session: null, warning: `${(err as Error).message}; a new session replaces it` };
  }
  const parsed = SessionSchema.safeParse(json);
  if (!parsed.success) {
    return { session: null, warning: `${file} is not a session file the studio wrote; replaced` };
  }
  return { session: parsed.data };
}

/** Saves the session readable by the user only (0600; its folder 0700 when it is made). */
export async function saveSession(file: string, session: BrowserSession): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, `${JSON.stringify(session)}\n`, { mode: 0o600 });
}

/** A new token for a new session (the port is the one the server ends up listening on). */
export function newToken(): string {
  return createToken();
}
