// The studio's one window, hardened along Electron's security checklist: isolated and sandboxed
// renderer without Node, a strict CSP, no navigation, no new windows, no permissions, no
// <webview>. The renderer only ever shows our own bundled page.
import { BrowserWindow, app, nativeTheme, shell, type Session, type WebContents } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app as appInfo } from '../shared/app-info';

/** Where the renderer comes from: electron-vite's dev server, or the built index.html. */
export function rendererUrl(): string {
  const devServer = process.env.ELECTRON_RENDERER_URL;
  if (!app.isPackaged && devServer) return devServer;
  return pathToFileURL(join(import.meta.dirname, '../renderer/index.html')).href;
}

const PRELOAD_PATH = join(import.meta.dirname, '../preload/index.cjs');

/**
 * Starts from nothing allowed and adds only what the Vue app needs: its own scripts and styles,
 * images it makes from canvases and dropped files (data:/blob:). The renderer owner mirrors this
 * in a <meta> tag, which also covers file:// loads where a header may not be applied.
 */
export function contentSecurityPolicy(dev: boolean): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    // Vite's dev server injects <style> tags and talks to its HMR socket; the build does neither.
    dev ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    dev ? "connect-src 'self' ws://localhost:* ws://127.0.0.1:*" : "connect-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

export function setupContentSecurityPolicy(session: Session, dev: boolean): void {
  const policy = contentSecurityPolicy(dev);
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

/** https links go to the system browser; nothing else leaves the app. */
function openExternalIfHttps(url: string): void {
  try {
    if (new URL(url).protocol === 'https:') void shell.openExternal(url);
  } catch {
    // Not a URL: nothing to open.
  }
}

/** The page never navigates away and never opens windows of its own. */
export function setupNavigationGuards(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    openExternalIfHttps(url);
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternalIfHttps(url);
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
