// The reference frameworks of the training bench: the same LeNet-5, data and settings as the
// studio's reference run, trained by a plain PyTorch script (scripts/bench-torch.py) and by
// Keras on TensorFlow (scripts/bench-keras.py) with TensorFlow's oneDNN kernels off and on.
// Each runs in a venv its setup script provisions in the per-user cache; where one cannot be
// had, its figures are `{ skipped: reason }` and the bench goes on.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { bundledMnistDir } from '../../src/engine/dataset-files';
import type { TrainingConfigInput } from '../../src/shared/training-config';

const SCRIPTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The JSON line bench-torch.py and bench-keras.py print (the fields the bench reads). */
export interface ReferenceFigures {
  framework: 'pytorch' | 'keras';
  samplesPerSecond: number;
  trainSeconds: number;
  testAccuracy: number;
  batch1000SamplesPerSecond: number;
  peakRssMB: number;
  [more: string]: unknown;
}
export type Reference = ReferenceFigures | { skipped: string };

export const measured = (r: Reference): r is ReferenceFigures => !('skipped' in r);

/** One line of a child's failure, not the whole command line and stderr. */
function reason(err: unknown): string {
  const { stderr, message } = err as { stderr?: string; message?: string };
  const lines = `${stderr ?? ''}`
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.at(-1) ?? message?.split('\n')[0] ?? String(err);
}

type Ensure = (options: { quiet: boolean }) => string | undefined;

/** The venv's python from a setup script (`setup-torch.mjs`, `setup-keras.mjs`), or undefined. */
async function provision(script: string, ensure: string): Promise<string | undefined> {
  const setup = (await import(pathToFileURL(path.join(SCRIPTS, script)).href)) as Record<
    string,
    Ensure | undefined
  >;
  const fn = setup[ensure];
  if (!fn) throw new Error(`${script} exports no ${ensure}`);
  return fn({ quiet: true });
}

async function runScript(
  python: string,
  script: string,
  config: TrainingConfigInput,
  env: Record<string, string> = {},
  extraArgs: string[] = [],
): Promise<Reference> {
  const args = [
    path.join(SCRIPTS, script),
    '--data',
    bundledMnistDir(),
    '--epochs',
    String(config.epochs),
    '--batch',
    String(config.batchSize),
    '--lr',
    String(config.learningRate),
    '--seed',
    String(config.seed),
    ...extraArgs,
  ];
  try {
    const { stdout } = await promisify(execFile)(python, args, {
      maxBuffer: 1 << 22,
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', ...env },
    });
    return JSON.parse(stdout.trim().split('\n').at(-1) as string) as ReferenceFigures;
  } catch (err) {
    return { skipped: `${script} failed: ${reason(err)}` };
  }
}

/** The PyTorch script's figures at `config`. */
export async function pytorchReference(config: TrainingConfigInput): Promise<Reference> {
  process.stderr.write('[bench] provisioning PyTorch (first time takes minutes)…\n');
  const python = await provision('setup-torch.mjs', 'ensureTorchPython');
  if (!python) return { skipped: 'no Python with the CPU build of torch could be provisioned' };
  process.stderr.write('[bench] training the same model in PyTorch…\n');
  return runScript(python, 'bench-torch.py', config);
}

/**
 * The PyTorch script trained until its test accuracy (checked after every epoch) reaches
 * `target`, at most `maxEpochs` epochs: its figures carry `timeToTarget`.
 */
export async function pytorchTimeToTarget(
  config: TrainingConfigInput,
  target: number,
  maxEpochs: number,
): Promise<Reference> {
  const python = await provision('setup-torch.mjs', 'ensureTorchPython');
  if (!python) return { skipped: 'no Python with the CPU build of torch could be provisioned' };
  process.stderr.write(`[bench] PyTorch until ${(target * 100).toFixed(1)}% test accuracy…\n`);
  return runScript(python, 'bench-torch.py', { ...config, epochs: maxEpochs }, {}, [
    '--target-accuracy',
    String(target),
  ]);
}

export interface KerasReferences {
  /** TF_ENABLE_ONEDNN_OPTS=0: TensorFlow's Eigen kernels (its default on CPUs without AVX-512). */
  onednnOff: Reference;
  /** TF_ENABLE_ONEDNN_OPTS=1: oneDNN kernels. */
  onednnOn: Reference;
}

/** Keras's figures at `config`, with oneDNN off and then on. */
export async function kerasReferences(config: TrainingConfigInput): Promise<KerasReferences> {
  process.stderr.write('[bench] provisioning Keras (first time takes minutes)…\n');
  const python = await provision('setup-keras.mjs', 'ensureKerasPython');
  if (!python) {
    const skipped = { skipped: 'no Python with TensorFlow/Keras could be provisioned' };
    return { onednnOff: skipped, onednnOn: skipped };
  }
  process.stderr.write('[bench] training the same model in Keras, oneDNN off…\n');
  const onednnOff = await runScript(python, 'bench-keras.py', config, {
    TF_ENABLE_ONEDNN_OPTS: '0',
  });
  process.stderr.write('[bench] training the same model in Keras, oneDNN on…\n');
  const onednnOn = await runScript(python, 'bench-keras.py', config, {
    TF_ENABLE_ONEDNN_OPTS: '1',
  });
  return { onednnOff, onednnOn };
}
