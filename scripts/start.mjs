// What `npm start` runs once the app is built: the Electron app where Electron can run, and
// otherwise the same studio in browser mode, so the main command works on every machine.
//
// Electron 45's npm package downloads its binary on first launch; where the network is closed
// that download fails. We look for the binary the way `require('electron')` does, but without
// calling it: when the binary is missing, that require starts the download itself and prints a
// stack trace before failing.
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** The Electron executable if it is installed, else null (never downloads). */
export function electronBinary() {
  let pkgDir;
  try {
    pkgDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = path.join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(pkgDir, 'dist');
  const full = path.join(distDir, relative);
  return existsSync(full) ? full : null;
}

/** Why Electron can't run here, or null when it can. */
function electronUnavailableReason() {
  if (!electronBinary()) {
    return 'the Electron binary is not available offline (Electron downloads it on first launch)';
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return 'there is no display to show the Electron window on';
  }
  return null;
}

/** Passes Ctrl-C and termination on to the child, and leaves with its exit code. */
function followChild(child) {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      if (child.exitCode === null) child.kill(signal);
    });
  }
  child.on('error', (error) => {
    console.error(`[start] could not start ${child.spawnfile}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function launchElectron() {
  const args = [root];
  // Chromium refuses to start as root with its OS sandbox on. The renderer stays sandboxed by
  // Electron (sandbox: true, contextIsolation); only the setuid/namespace layer is skipped.
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  followChild(spawn(electronBinary(), args, { cwd: root, stdio: 'inherit' }));
}

function onPath(command) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      // Not in this directory.
    }
  }
  return false;
}

/** Opens the studio in the default browser where the system has one; never fails the start. */
function openInBrowser(url) {
  if (process.env.CI || process.env.LENET_STUDIO_NO_OPEN) return;
  const opener = { darwin: 'open', win32: 'explorer.exe' }[process.platform] ?? 'xdg-open';
  if (process.platform !== 'win32' && !onPath(opener)) return;
  try {
    const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No browser: the URL is printed above, which is enough.
  }
}

function launchBrowserMode() {
  const server = path.join(root, 'src/server/index.ts');
  const tsx = pathToFileURL(require.resolve('tsx')).href;
  const child = spawn(process.execPath, ['--import', tsx, server, ...process.argv.slice(2)], {
    cwd: root,
    stdio: ['inherit', 'pipe', 'inherit'],
  });
  // The server prints its address (the access token in its #fragment, which browsers never send
  // to a server); echo everything, open the first URL, fragment included.
  const urlPattern = /https?:\/\/(?:127\.0\.0\.1|localhost|\[::1\])[^\s"'<>]*/;
  let opened = false;
  let partialLine = '';
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    if (opened) return;
    // Only whole lines: a URL split across two chunks must not be opened half-way.
    const lines = (partialLine + chunk.toString('utf8')).split('\n');
    partialLine = lines.pop() ?? '';
    for (const line of lines) {
      const match = urlPattern.exec(line);
      if (match) {
        opened = true;
        openInBrowser(match[0]);
        return;
      }
    }
  });
  followChild(child);
}

function main() {
  const reason = electronUnavailableReason();
  if (reason === null) {
    launchElectron();
    return;
  }
  console.log(`LeNet Studio: ${reason}; starting the studio in browser mode instead.`);
  launchBrowserMode();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
