#!/usr/bin/env node
// Provisions a Python environment with TensorFlow + Keras 3 for the Keras side of the
// benchmark (scripts/bench-keras.py). Plain Node ESM, no dependencies.
//
// The venv lives in a per-user cache, outside the work tree, so that it survives a fresh
// clone and is shared by every checkout:
//   $LENET_STUDIO_CACHE | $XDG_CACHE_HOME/lenet-studio | ~/.cache/lenet-studio   + /keras-venv
// Packages come from `pip install`, which honours pip's own configuration (pip.conf,
// PIP_INDEX_URL, ...), so a PyPI mirror works.
//
// A venv only counts as ready when it holds a marker file, written after
// `import tensorflow, keras` succeeded in it. An interrupted install leaves no marker and is
// rebuilt from scratch on the next run.
//
// Usage:   node scripts/setup-keras.mjs [--quiet] [--force]
//          prints the venv's python on stdout; exit 0 on success, 1 otherwise.
// Library: import { ensureKerasPython } from './setup-keras.mjs';
//          ensureKerasPython({ quiet }) -> path of the venv's python, or undefined.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGES = ['tensorflow-cpu==2.21.*', 'keras'];
const MARKER = '.lenet-studio-ready';
const IMPORT_CHECK =
  'import json, tensorflow, keras; ' +
  'print(json.dumps({"tensorflow": tensorflow.__version__, "keras": keras.__version__}))';

/** The per-user cache folder of the studio (same rule as the native-engine cache). */
export function cacheDir() {
  if (process.env.LENET_STUDIO_CACHE) return path.resolve(process.env.LENET_STUDIO_CACHE);
  const xdg = process.env.XDG_CACHE_HOME;
  return path.join(xdg ? path.resolve(xdg) : path.join(os.homedir(), '.cache'), 'lenet-studio');
}

export function kerasVenvDir() {
  return path.join(cacheDir(), 'keras-venv');
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

/** Runs `python -c IMPORT_CHECK`; returns the versions, or undefined if the import fails. */
function importCheck(python) {
  const result = spawnSync(python, ['-c', IMPORT_CHECK], {
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
 * Makes sure the Keras venv exists and works. Returns the path of its python, or undefined
 * (after one `[keras]` line on stderr saying why) when it cannot be set up.
 * Idempotent: a ready venv costs one import check (a few seconds).
 */
export function ensureKerasPython({ quiet = false, force = false } = {}) {
  const say = (message) => {
    if (!quiet) process.stderr.write(`[keras] ${message}\n`);
  };
  const fail = (message) => {
    process.stderr.write(`[keras] cannot set up Keras: ${message}\n`);
    return undefined;
  };

  const venv = kerasVenvDir();
  const python = venvPython(venv);
  const marker = path.join(venv, MARKER);

  // Fast path: a venv with the marker that still imports tensorflow and keras is ready.
  // The import check costs a few seconds (importing TensorFlow) but also catches a venv
  // damaged since, or whose base python was removed; such a venv is rebuilt below.
  if (!force && fs.existsSync(marker) && fs.existsSync(python)) {
    const versions = importCheck(python);
    if (versions) {
      say(`ready: tensorflow ${versions.tensorflow}, keras ${versions.keras} in ${venv}`);
      return python;
    }
    say('the cached venv no longer imports tensorflow and keras: rebuilding it');
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

  say(`pip install ${PACKAGES.join(' ')} (pip's own configuration applies; this takes minutes)`);
  // Inherit stderr when not quiet, so pip's own progress shows during a long first install;
  // stdout stays piped because the CLI prints only the python path there.
  result = spawnSync(python, ['-m', 'pip', 'install', ...PACKAGES], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', quiet ? 'pipe' : 'inherit'],
    env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1' },
    timeout: 3_600_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) return fail(`pip install failed: ${lastLine(result)}`);

  say('checking `import tensorflow, keras`');
  const versions = importCheck(python);
  if (!versions) return fail(`the venv at ${venv} cannot import tensorflow and keras`);

  fs.writeFileSync(
    marker,
    JSON.stringify({ ...versions, packages: PACKAGES, installedAt: new Date().toISOString() }) +
      '\n',
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  say(`ready in ${seconds} s: tensorflow ${versions.tensorflow}, keras ${versions.keras}`);
  return python;
}

// Run directly (not imported): `node scripts/setup-keras.mjs`.
// Compared through realpath so that a symlinked invocation counts; importing has no side effects.
function isMain() {
  try {
    return (
      Boolean(process.argv[1]) &&
      fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url))
    );
  } catch {
    return false;
  }
}
if (isMain()) {
  const args = new Set(process.argv.slice(2));
  const python = ensureKerasPython({ quiet: args.has('--quiet'), force: args.has('--force') });
  if (python) process.stdout.write(`${python}\n`);
  process.exitCode = python ? 0 : 1;
}
