// Electron entry: app lifecycle, one instance, one hardened window, the engine in a utility
// process, and the IPC registrar between them. Training never runs here (a busy main process
// freezes every window); main only relays.
import { BrowserWindow, app, ipcMain, protocol, session } from 'electron';
import { realRoot } from '../host/renderer-files';
import { app as appInfo } from '../shared/app-info';
import { createElectronDialogs } from './dialogs';
import { createElectronEngineHost } from './engine-host-electron';
import { senderCheckFor, setupIpc } from './ipc-registrar';
import { openStudio } from '../host/dispatcher';
import { createStudioBackend } from '../host/studio-backend';
import { HOW_TO_CHOOSE, studioFolderPolicy } from '../host/studio-folders';
import { APP_SCHEME_PRIVILEGES, serveAppProtocol } from './app-protocol';
import {
  RENDERER_DIR,
  createMainWindow,
  rendererHeaders,
  rendererUrl,
  setupContentSecurityPolicy,
  setupPermissionDenial,
  setupWebContentsGuards,
} from './window';

let mainWindow: BrowserWindow | null = null;

function liveWindow(): BrowserWindow | null {
  return mainWindow && !mainWindow.isDestroyed() ? mainWindow : null;
}

function openMainWindow(): void {
  const win = createMainWindow();
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  mainWindow = win;
}

/** A second launch focuses the existing window instead of starting a second engine. */
function setupSingleInstance(): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', () => {
    const win = liveWindow();
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  return true;
}

async function setupStudio(): Promise<void> {
  const dev = !app.isPackaged && Boolean(process.env.ELECTRON_RENDERER_URL);
  serveAppProtocol(protocol, await realRoot(RENDERER_DIR), rendererHeaders(dev));
  setupContentSecurityPolicy(session.defaultSession, dev);
  setupPermissionDenial(session.defaultSession);

  // The host restarts a crashed engine and emits engine-crashed / engine-restarted, which the
  // registrar forwards, so the window learns why and keeps working.
  const host = createElectronEngineHost();
  // The renderer may name only folders the person picked in a dialog (Electron's checklist: the
  // page reaches no file the person didn't choose), plus the runs folder and the bundled data.
  const policy = studioFolderPolicy({
    howToChoose: HOW_TO_CHOOSE.electron,
    runsDir: async () => (await host.request({ type: 'info' })).runsDir,
  });
  const backend = createStudioBackend(host, {
    hostKind: 'electron',
    dialogs: createElectronDialogs(liveWindow),
    policy,
  });
  const teardownIpc = setupIpc(
    ipcMain,
    openStudio(backend, policy),
    senderCheckFor(() => liveWindow()?.webContents.id, rendererUrl()),
    (channel, event) => liveWindow()?.webContents.send(channel, event),
  );
  app.on('will-quit', () => {
    teardownIpc();
    host.dispose();
  });

  openMainWindow();
  // macOS keeps apps alive without windows; clicking the dock icon brings one back.
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openMainWindow();
  });
}

async function main(): Promise<void> {
  if (!setupSingleInstance()) {
    app.quit();
    return;
  }
  app.setName(appInfo.name);
  // Custom schemes get their privileges only if declared before the app is ready.
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  // Sandboxes every renderer, even one created by accident without webPreferences.sandbox.
  app.enableSandbox();
  setupWebContentsGuards();
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  await app.whenReady();
  await setupStudio();
}

main().catch((error: unknown) => {
  console.error('[main] failed to start:', error);
  app.exit(1);
});
