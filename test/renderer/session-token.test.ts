import { describe, expect, it } from 'vitest';
import { adoptSessionToken, sessionToken } from '../../src/renderer/src/services/session-token';
import {
  studioAddress,
  tokenFromProtocolHeader,
  webSocketProtocols,
} from '../../src/shared/browser-session';

function fakeTab(href: string) {
  const url = new URL(href);
  const store = new Map<string, string>();
  const replaced: string[] = [];
  const location = { pathname: url.pathname, search: url.search, hash: url.hash };
  const history = {
    state: { tab: 'train' } as unknown,
    replaceState(_data: unknown, _unused: string, next?: string) {
      replaced.push(next ?? '');
    },
  };
  const storage = {
    getItem: (key: string) => store.get(key) ?? null,
    setItem: (key: string, value: string) => void store.set(key, value),
  };
  return { location, history, storage, replaced, store };
}

describe('browser-mode token in the tab', () => {
  it('moves #token=… from the address into sessionStorage', () => {
    const tab = fakeTab(studioAddress('http://127.0.0.1:5000', 'abc123'));
    expect(adoptSessionToken(tab.location, tab.history, tab.storage)).toBe('abc123');
    expect(tab.replaced).toEqual(['/']);
    expect(sessionToken(tab.storage)).toBe('abc123');
  });

  it('keeps the rest of the address, query and other fragment parameters', () => {
    const tab = fakeTab('http://127.0.0.1:5000/index.html?x=1#view=draw&token=abc');
    adoptSessionToken(tab.location, tab.history, tab.storage);
    expect(tab.replaced).toEqual(['/index.html?x=1#view=draw']);
  });

  it('after a reload (no token in the address) reads it back from storage, touching nothing', () => {
    const tab = fakeTab('http://127.0.0.1:5000/#token=abc');
    adoptSessionToken(tab.location, tab.history, tab.storage);
    const reloaded = { ...tab, location: { pathname: '/', search: '', hash: '' }, replaced: [] };
    expect(adoptSessionToken(reloaded.location, reloaded.history, reloaded.storage)).toBe('abc');
    expect(reloaded.replaced).toEqual([]);
  });

  it('has no token when neither the address nor storage holds one, and ignores junk', () => {
    const tab = fakeTab('http://127.0.0.1:5000/#token=<script>');
    expect(adoptSessionToken(tab.location, tab.history, tab.storage)).toBeNull();
    expect(tab.replaced).toEqual([]);
  });

  it('offers the token as a subprotocol the server reads back', () => {
    const header = webSocketProtocols('f00d').join(', ');
    expect(header).toBe('lenet-studio, lenet-studio.token.f00d');
    expect(tokenFromProtocolHeader(header)).toBe('f00d');
    expect(tokenFromProtocolHeader('lenet-studio')).toBeNull();
    expect(tokenFromProtocolHeader(undefined)).toBeNull();
  });
});
