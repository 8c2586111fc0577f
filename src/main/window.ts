// The studio's one window, hardened along Electron's security checklist: isolated and sandboxed
// renderer without Node, a strict CSP, no navigation, no new windows, no permissions, no
// <webview>. The renderer only ever shows our own bundled page.
import { BrowserWindow, app, nativeTheme, shell, type Session, type WebContents } from 'electron';
import { join } from 'node:path';
import { app as appInfo } from '../shared/app-info';
import { electronPolicy } from '../shared/content-security-policy';
import { APP_ENTRY_URL } from './app-protocol';
import { isAllowedExternalLink } from './external-links';

/** Where the renderer comes from: electron-vite's dev server, or the built one on app://. */
export function rendererUrl(): string {
  const devServer = process.env.ELECTRON_RENDERER_URL;
  if (!app.isPackaged && devServer) return devServer;
  return APP_ENTRY_URL;
}

/** The built renderer's folder, which app:// serves. */
export const RENDERER_DIR = join(import.meta.dirname, '../renderer');

const PRELOAD_PATH = join(import.meta.dirname, '../preload/index.cjs');

/** The headers of every app:// response: the one CSP (no WebSocket: Electron uses IPC). */
export function rendererHeaders(dev: boolean): Record<string, string> {
  return { 'Content-Security-Policy': electronPolicy(dev), 'X-Content-Type-Options': 'nosniff' };
}

/** The dev server's responses (http) get the same policy through the session. */
export function setupContentSecurityPolicy(session: Session, dev: boolean): void {
  const policy = electronPolicy(dev);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] },
    });
  });
}

/** Every permission (camera, notifications, geolocation, …) is refused: the studio needs none. */
export function setupPermissionDenial(session: Session): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** The project's own links go to the system browser; nothing else leaves the app. */
function openExternalIfAllowed(url: string): void {
  if (isAllowedExternalLink(url)) void shell.openExternal(url);
  else console.warn(`[window] refused to open ${url.slice(0, 200)}`);
}

/** The page never navigates away and never opens windows of its own. */
export function setupNavigationGuards(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    openExternalIfAllowed(url);
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternalIfAllowed(url);
    return { action: 'deny' };
  });
}

/** Applies to every webContents the app ever creates, not only our window's. */
export function setupWebContentsGuards(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    setupNavigationGuards(contents);
  });
}

export function createMainWindow(): BrowserWindow {
  const win = new BrowserWindow({
    title: appInfo.name,
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 640,
    show: false,
    // Matches the renderer's theme so the first frame doesn't flash white in dark mode.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#15171c' : '#f7f7f9',
    autoHideMenuBar: true,
    webPreferences: {
      preload: PRELOAD_PATH,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(rendererUrl());
  return win;
}
