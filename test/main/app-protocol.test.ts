import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  resolveAppRequest,
  serveAppProtocol,
  type ProtocolLike,
} from '../../src/main/app-protocol';
import { tempDir } from '../helpers/fixtures';

function rendererFolder() {
  const dir = realpathSync(tempDir('lenet-app-'));
  const root = path.join(dir, 'renderer');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
  writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(dir, 'secret.txt'), 'secret');
  symlinkSync(path.join(dir, 'secret.txt'), path.join(root, 'link.txt'));
  return root;
}

describe('app:// protocol', () => {
  it('serves files of the renderer folder', async () => {
    const root = rendererFolder();
    expect(await resolveAppRequest(root, APP_ENTRY_URL)).toMatchObject({
      kind: 'file',
      path: path.join(root, 'index.html'),
      contentType: 'text/html; charset=utf-8',
    });
    expect(await resolveAppRequest(root, 'app://studio/assets/app.js?v=1#x')).toMatchObject({
      kind: 'file',
      contentType: 'text/javascript; charset=utf-8',
    });
    expect(await resolveAppRequest(root, 'app://studio/missing.js')).toEqual({
      kind: 'not-found',
    });
  });

  it.each([
    'app://studio/../secret.txt',
    'app://studio/%2e%2e/secret.txt',
    'app://studio/..%2fsecret.txt',
    'app://studio/assets/..%2f..%2fsecret.txt',
    'app://studio/..%5csecret.txt',
    'app://studio/%00index.html',
    'app://studio/link.txt',
    'app://other-host/index.html',
    'file:///etc/passwd',
    'not a url',
  ])('never serves anything outside the folder: %s', async (url) => {
    const found = await resolveAppRequest(rendererFolder(), url);
    expect(['forbidden', 'not-found']).toContain(found.kind);
  });

  it('answers with the page headers, 403 or 404 otherwise', async () => {
    const root = rendererFolder();
    let handler: ((request: { url: string }) => Promise<Response>) | undefined;
    const protocol: ProtocolLike = { handle: (_scheme, h) => (handler = h) };
    serveAppProtocol(protocol, root, { 'Content-Security-Policy': "default-src 'none'" });
    const page = await handler!({ url: APP_ENTRY_URL });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(await page.text()).toBe('<!doctype html>');
    expect((await handler!({ url: 'app://studio/link.txt' })).status).toBe(403);
    expect((await handler!({ url: 'app://studio/nothing' })).status).toBe(404);
  });
});
