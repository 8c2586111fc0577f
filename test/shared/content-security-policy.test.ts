import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rendererCsp } from '../../electron.vite.config';
import {
  browserModePolicy,
  electronPolicy,
  rendererMetaPolicy,
} from '../../src/shared/content-security-policy';

const connectSrc = (policy: string) =>
  policy.split('; ').find((directive) => directive.startsWith('connect-src'));

describe('the one Content Security Policy', () => {
  it('Electron allows no WebSocket (it uses IPC); only the dev server’s HMR socket in dev', () => {
    expect(connectSrc(electronPolicy(false))).toBe("connect-src 'self'");
    expect(electronPolicy(false)).toContain("frame-ancestors 'none'");
    expect(electronPolicy(false)).not.toContain('unsafe-inline');
    expect(connectSrc(electronPolicy(true))).toMatch(/ws:\/\/localhost:\*/);
  });

  it('browser mode allows the WebSocket of its own origin only', () => {
    expect(connectSrc(browserModePolicy('ws://127.0.0.1:5123'))).toBe(
      "connect-src 'self' ws://127.0.0.1:5123",
    );
  });

  it('index.html gets its <meta> policy from the same definition at build time', () => {
    const plugin = rendererCsp();
    const html = readFileSync(path.resolve('src/renderer/index.html'), 'utf8');
    const hook = plugin.transformIndexHtml as { handler: (html: string) => string };
    (plugin.configResolved as (c: { command: string }) => void)({ command: 'build' });
    const built = hook.handler(html);
    expect(built).toContain(`content="${rendererMetaPolicy(false)}"`);
    expect(() => hook.handler('<html></html>')).toThrow(/no %LENET_STUDIO_CSP%/);
  });
});
