// TensorBoard's own Python, when `node scripts/setup-tensorboard.mjs` has provisioned it (`.ci/run`
// does): its event-file loader is the reader that matters, beside the test's TFRecord reader.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The same cache rule as scripts/python-venv.mjs. */
function cacheDir(): string {
  if (process.env.LENET_STUDIO_CACHE) return path.resolve(process.env.LENET_STUDIO_CACHE);
  const xdg = process.env.XDG_CACHE_HOME;
  return path.join(xdg ? path.resolve(xdg) : path.join(os.homedir(), '.cache'), 'lenet-studio');
}

const VENV = path.join(cacheDir(), 'tensorboard-venv');
const PYTHON = path.join(VENV, process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python');

/** Why TensorBoard's loader cannot be used here, or null when it can. */
export function tensorBoardMissingReason(): string | null {
  return existsSync(path.join(VENV, '.lenet-studio-ready')) && existsSync(PYTHON)
    ? null
    : `no TensorBoard venv at ${VENV} (node scripts/setup-tensorboard.mjs provisions it)`;
}

// Loads every event file of a logdir with TensorBoard's EventAccumulator, as `tensorboard
// --logdir` does, and prints each tag's steps by kind. Summaries written by TensorFlow 2 ops
// (tf.node.summaryFileWriter) load as tensors, with their plugin name in the metadata.
const LOADER = `
import json, sys
from tensorboard.backend.event_processing import event_accumulator as ea
acc = ea.EventAccumulator(sys.argv[1], size_guidance={ea.TENSORS: 0, ea.SCALARS: 0, ea.HISTOGRAMS: 0})
acc.Reload()
tags = acc.Tags()
out = {"scalars": {}, "tensors": {}, "plugins": {}}
for tag in tags.get("scalars", []):
    out["scalars"][tag] = [e.step for e in acc.Scalars(tag)]
for tag in tags.get("tensors", []):
    out["tensors"][tag] = [e.step for e in acc.Tensors(tag)]
    out["plugins"][tag] = acc.SummaryMetadata(tag).plugin_data.plugin_name
print(json.dumps(out))
`;

export interface LoadedByTensorBoard {
  /** Tag → the steps of its scalar points, in file order. */
  scalars: Record<string, number[]>;
  /** Tag → the steps TensorBoard found, in file order. */
  tensors: Record<string, number[]>;
  /** Tensor tag → the plugin that draws it (histograms). */
  plugins: Record<string, string>;
}

export function loadWithTensorBoard(logdir: string): LoadedByTensorBoard {
  const result = spawnSync(PYTHON, ['-c', LOADER, logdir], {
    encoding: 'utf8',
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' },
    timeout: 120_000,
  });
  if (result.status !== 0) {
    throw new Error(`TensorBoard's loader failed (exit ${result.status}): ${result.stderr.trim()}`);
  }
  return JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as LoadedByTensorBoard;
}
