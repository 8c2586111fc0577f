#!/usr/bin/env node
// Provisions a Python environment with the CPU build of PyTorch for the PyTorch side of the
// benchmark (scripts/bench-torch.py), cached per user in <cache>/torch-venv (the rules are in
// scripts/python-venv.mjs). Plain Node ESM, no dependencies.
//
// `torch` resolves through pip's own configuration; a local wheel folder or mirror holding the
// CPU wheel (`torch-…+cpu-…whl`) is what keeps the install offline and small. The import check
// rejects a CUDA build, so a machine that can only get one skips the PyTorch reference.
//
// Usage:   node scripts/setup-torch.mjs [--quiet] [--force]
//          prints the venv's python on stdout; exit 0 on success, 1 otherwise.
// Library: import { ensureTorchPython } from './setup-torch.mjs';
//          ensureTorchPython({ quiet }) -> path of the venv's python, or undefined.
import { ensureVenvPython, isMain, runSetupCli } from './python-venv.mjs';

const PACKAGES = ['torch', 'numpy'];

/** The PyTorch venv's python, or undefined after one `[torch]` line saying why not. */
export function ensureTorchPython({ quiet = false, force = false } = {}) {
  return ensureVenvPython({
    name: 'torch-venv',
    tag: 'torch',
    what: 'torch (CPU build) and numpy',
    packages: PACKAGES,
    check:
      'import json, numpy, torch; ' +
      'assert torch.version.cuda is None, "a CUDA build of torch, not the CPU one"; ' +
      'print(json.dumps({"torch": torch.__version__, "numpy": numpy.__version__}))',
    describe: (v) => `torch ${v.torch}, numpy ${v.numpy}`,
    quiet,
    force,
  });
}

if (isMain(import.meta.url)) runSetupCli(ensureTorchPython);
