// The browser-mode token on the page's side. The printed address brings it in the fragment;
// adoptSessionToken moves it into sessionStorage (this tab only, and a reload of it) and off
// the address bar and history, before anything else runs. The WebSocket reads it back from
// storage (api.ts). Storage and history are injected so the logic is tested without a DOM.
import {
  TOKEN_STORAGE_KEY,
  hashWithoutToken,
  isValidToken,
  tokenFromHash,
} from '../../../shared/browser-session';

export interface LocationLike {
  pathname: string;
  search: string;
  hash: string;
}

export interface HistoryLike {
  readonly state: unknown;
  replaceState(data: unknown, unused: string, url?: string): void;
}

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Takes `#token=…` out of the address into storage; returns the token this tab holds. */
export function adoptSessionToken(
  location: LocationLike,
  history: HistoryLike,
  storage: StorageLike,
): string | null {
  const fromAddress = tokenFromHash(location.hash);
  if (fromAddress) {
    storage.setItem(TOKEN_STORAGE_KEY, fromAddress);
    history.replaceState(
      history.state,
      '',
      `${location.pathname}${location.search}${hashWithoutToken(location.hash)}`,
    );
    return fromAddress;
  }
  return sessionToken(storage);
}

export function sessionToken(storage: StorageLike): string | null {
  const stored = storage.getItem(TOKEN_STORAGE_KEY);
  return stored && isValidToken(stored) ? stored : null;
}
