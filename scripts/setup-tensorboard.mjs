#!/usr/bin/env node
// Provisions a Python environment with TensorBoard, cached per user in <cache>/tensorboard-venv
// (the rules are in scripts/python-venv.mjs): to look at the runs (`tensorboard --logdir`), for
// the test that reads the studio's event files back with TensorBoard's own loader, and for the
// README's TensorBoard screenshot. Plain Node ESM, no dependencies.
//
// Usage:   node scripts/setup-tensorboard.mjs [--quiet] [--force]
//          prints the venv's python on stdout; exit 0 on success, 1 otherwise.
// Library: import { ensureTensorBoardPython } from './setup-tensorboard.mjs';
import { ensureVenvPython, isMain, runSetupCli } from './python-venv.mjs';

/** The TensorBoard venv's python, or undefined after one `[tensorboard]` line saying why not. */
export function ensureTensorBoardPython({ quiet = false, force = false } = {}) {
  return ensureVenvPython({
    name: 'tensorboard-venv',
    tag: 'tensorboard',
    what: 'TensorBoard',
    packages: ['tensorboard'],
    check:
      'import json, tensorboard; ' +
      'from tensorboard.backend.event_processing import event_accumulator; ' +
      'print(json.dumps({"tensorboard": tensorboard.__version__}))',
    describe: (v) => `TensorBoard ${v.tensorboard}`,
    quiet,
    force,
  });
}

if (isMain(import.meta.url)) runSetupCli(ensureTensorBoardPython);
