#!/usr/bin/env node
// Provisions a Python environment with TensorFlow + Keras 3 for the Keras side of the
// benchmark (scripts/bench-keras.py), cached per user in <cache>/keras-venv (the rules are in
// scripts/python-venv.mjs). Plain Node ESM, no dependencies.
//
// Usage:   node scripts/setup-keras.mjs [--quiet] [--force]
//          prints the venv's python on stdout; exit 0 on success, 1 otherwise.
// Library: import { ensureKerasPython } from './setup-keras.mjs';
//          ensureKerasPython({ quiet }) -> path of the venv's python, or undefined.
import { ensureVenvPython, isMain, runSetupCli } from './python-venv.mjs';

const PACKAGES = ['tensorflow-cpu==2.21.*', 'keras'];

/** The Keras venv's python, or undefined after one `[keras]` line saying why not. */
export function ensureKerasPython({ quiet = false, force = false } = {}) {
  return ensureVenvPython({
    name: 'keras-venv',
    tag: 'keras',
    what: 'tensorflow and keras',
    packages: PACKAGES,
    check:
      'import json, tensorflow, keras; ' +
      'print(json.dumps({"tensorflow": tensorflow.__version__, "keras": keras.__version__}))',
    describe: (v) => `tensorflow ${v.tensorflow}, keras ${v.keras}`,
    quiet,
    force,
  });
}

if (isMain(import.meta.url)) runSetupCli(ensureKerasPython);
