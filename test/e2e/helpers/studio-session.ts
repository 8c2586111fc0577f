// One browser-mode studio for an e2e file: the real server (real engine process) on a free
// loopback port serving the built renderer, Debian's Chromium, and a page that records every
// console error, page error and CSP violation (a clean run has none), opened and Ready.
//   const studio = await openStudio({ runsDir });     // in beforeAll
//   studio.page, studio.problems, studio.server.url
//   await studio.close();                             // in afterAll
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer, type ServerOptions } from '../../../src/server/index';
import { launchChromium } from './chromium';
import { RENDERER_OUT, ensureRendererBuilt } from './renderer-build';
import { studioPage } from './studio-page';

export interface StudioSessionOptions extends Partial<Omit<ServerOptions, 'backend' | 'policy'>> {
  viewport?: { width: number; height: number };
  acceptDownloads?: boolean;
  /** Open the studio and wait for Ready (default); false leaves the page blank. */
  open?: boolean;
}

export interface StudioSession {
  /** Replaced by `restart()`; the page then points at the new one. */
  server: RunningServer;
  browser: Browser;
  page: Page;
  problems: string[];
  /** While true, console errors are not problems (the test cuts the connection on purpose). */
  expectingDisconnect: boolean;
  /** "Close the app": the server (and its engine) goes, killed. */
  stopServer(): Promise<void>;
  /** "Reopen": a new server (new engine, port and token) with the same options, and the page on it. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** Records what a clean page never shows, unless `ignore()` says a disconnect is expected. */
export function recordProblems(page: Page, problems: string[], ignore = () => false): void {
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !ignore()) problems.push(`console: ${message.text()}`);
  });
}

/** Goes to the studio's address and waits for the engine's Ready. */
export async function openAndWaitReady(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await studioPage(page).status.filter({ hasText: 'Ready' }).waitFor();
}

export async function openStudio(options: StudioSessionOptions = {}): Promise<StudioSession> {
  const { viewport = { width: 1440, height: 960 }, acceptDownloads, open = true } = options;
  const serverOptions: ServerOptions = {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    staticDir: options.staticDir ?? RENDERER_OUT,
    ...(options.runsDir !== undefined ? { runsDir: options.runsDir } : {}),
    ...(options.token !== undefined ? { token: options.token } : {}),
  };
  if (serverOptions.staticDir === RENDERER_OUT) ensureRendererBuilt();
  const server = await startServer(serverOptions);
  const browser = await launchChromium();
  const page = await browser.newPage({
    viewport,
    ...(acceptDownloads ? { acceptDownloads } : {}),
  });
  const session: StudioSession = {
    server,
    browser,
    page,
    problems: [],
    expectingDisconnect: false,
    async stopServer() {
      await session.server.close();
    },
    async restart() {
      session.server = await startServer(serverOptions);
      await openAndWaitReady(session.page, session.server.url);
    },
    async close() {
      await session.browser.close();
      await session.server.close();
    },
  };
  recordProblems(page, session.problems, () => session.expectingDisconnect);
  if (open) await openAndWaitReady(page, server.url);
  return session;
}
