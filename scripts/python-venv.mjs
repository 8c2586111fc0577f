// The part scripts/setup-keras.mjs and scripts/setup-torch.mjs share: a Python venv for one
// reference framework of the benchmark, in the per-user cache. Plain Node ESM, no dependencies.
//
// The venvs live outside the work tree, so that they survive a fresh clone and are shared by
// every checkout:
//   $LENET_STUDIO_CACHE | $XDG_CACHE_HOME/lenet-studio | ~/.cache/lenet-studio   + /<name>
// Packages come from `pip install`, which honours pip's own configuration (pip.conf,
// PIP_INDEX_URL, find-links, ...), so a local package mirror works.
//
// A venv only counts as ready when it holds a marker file, written after the framework's
// import check succeeded in it. An interrupted install leaves no marker and is rebuilt from
// scratch on the next run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MARKER = '.lenet-studio-ready';

/** The per-user cache folder of the studio (same rule as the native-engine cache). */
export function cacheDir() {
  if (process.env.LENET_STUDIO_CACHE) return path.resolve(process.env.LENET_STUDIO_CACHE);
  const xdg = process.env.XDG_CACHE_HOME;
  return path.join(xdg ? path.resolve(xdg) : path.join(os.homedir(), '.cache'), 'lenet-studio');
}

function venvPython(venv) {
  return process.platform === 'win32'
    ? path.join(venv, 'Scripts', 'python.exe')
    : path.join(venv, 'bin', 'python');
}

/** Last meaningful line of a failed child's output, for a one-line reason. */
function lastLine(result) {
  if (result.error) return result.error.message;
  const lines = `${result.stderr ?? ''}\n${result.stdout ?? ''}`
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const err = lines.findLast((l) => /error|not found|no matching/i.test(l));
  return err ?? lines.at(-1) ?? `exit code ${result.status}`;
}

/** Runs `python -c check`; returns the JSON it printed last, or undefined if it failed. */
function importCheck(python, check) {
  const result = spawnSync(python, ['-c', check], {
    encoding: 'utf8',
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
    timeout: 300_000,
  });
  if (result.status !== 0) return undefined;
  try {
    return JSON.parse(result.stdout.trim().split('\n').pop());
  } catch {
    return undefined;
  }
}

/** A python3 >= 3.9 to create the venv with: $PYTHON, then python3, then python. */
function findBasePython() {
  const candidates = [process.env.PYTHON, 'python3', 'python'].filter(Boolean);
  for (const candidate of candidates) {
    const result = spawnSync(
      candidate,
      ['-c', 'import sys, venv; print(sys.version_info[0] * 100 + sys.version_info[1])'],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (result.status === 0 && Number(result.stdout.trim()) >= 309) return candidate;
  }
  return undefined;
}

/**
 * Makes sure the venv `name` exists and passes `check` (a Python one-liner that imports the
 * framework and prints its versions as one JSON object). Returns the path of its python, or
 * undefined (after one `[tag] cannot set up …` line on stderr saying why) when it cannot be
 * set up. Idempotent: a ready venv costs one import check (a few seconds).
 *
 * @param {{ name: string, tag: string, what: string, packages: string[], check: string,
 *           describe: (versions: Record<string, string>) => string,
 *           quiet?: boolean, force?: boolean }} spec
 */
export function ensureVenvPython({ name, tag, what, packages, check, describe, quiet, force }) {
  const say = (message) => {
    if (!quiet) process.stderr.write(`[${tag}] ${message}\n`);
  };
  const fail = (message) => {
    process.stderr.write(`[${tag}] cannot set up ${what}: ${message}\n`);
    return undefined;
  };

  const venv = path.join(cacheDir(), name);
  const python = venvPython(venv);
  const marker = path.join(venv, MARKER);

  // Fast path: a venv with the marker that still passes the import check is ready. The check
  // also catches a venv damaged since, or whose base python was removed; such a venv is
  // rebuilt below.
  if (!force && fs.existsSync(marker) && fs.existsSync(python)) {
    const versions = importCheck(python, check);
    if (versions) {
      say(`ready: ${describe(versions)} in ${venv}`);
      return python;
    }
    say(`the cached venv no longer imports ${what}: rebuilding it`);
  }

  const base = findBasePython();
  if (!base) return fail('no python3 (>= 3.9, with the venv module) found on PATH or in $PYTHON');

  // Not ready: whatever is there is an interrupted or failed install (or --force). Start
  // clean, so that a half-installed package can never be mistaken for a working one.
  if (fs.existsSync(venv)) {
    say(`removing an incomplete venv at ${venv}`);
    fs.rmSync(venv, { recursive: true, force: true });
  }
  fs.mkdirSync(path.dirname(venv), { recursive: true });

  const started = Date.now();
  say(`creating a venv at ${venv} (with ${base})`);
  let result = spawnSync(base, ['-m', 'venv', venv], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 300_000,
  });
  if (result.status !== 0) return fail(`python -m venv failed: ${lastLine(result)}`);

  say(`pip install ${packages.join(' ')} (pip's own configuration applies; this takes minutes)`);
  // Inherit stderr when not quiet, so pip's own progress shows during a long first install;
  // stdout stays piped because the CLI prints only the python path there.
  result = spawnSync(python, ['-m', 'pip', 'install', ...packages], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', quiet ? 'pipe' : 'inherit'],
    env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1' },
    timeout: 3_600_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) return fail(`pip install failed: ${lastLine(result)}`);

  say(`checking that the venv imports ${what}`);
  const versions = importCheck(python, check);
  if (!versions) return fail(`the venv at ${venv} cannot import ${what}`);

  fs.writeFileSync(
    marker,
    JSON.stringify({ ...versions, packages, installedAt: new Date().toISOString() }) + '\n',
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  say(`ready in ${seconds} s: ${describe(versions)}`);
  return python;
}

/**
 * True when `moduleUrl` is the script node was started with (not imported). Compared through
 * realpath so that a symlinked invocation counts; importing has no side effects.
 */
export function isMain(moduleUrl) {
  try {
    return (
      Boolean(process.argv[1]) &&
      fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(moduleUrl))
    );
  } catch {
    return false;
  }
}

/** The command line of a setup script: `[--quiet] [--force]`, prints the python on stdout. */
export function runSetupCli(ensure) {
  const args = new Set(process.argv.slice(2));
  const python = ensure({ quiet: args.has('--quiet'), force: args.has('--force') });
  if (python) process.stdout.write(`${python}\n`);
  process.exitCode = python ? 0 : 1;
}
