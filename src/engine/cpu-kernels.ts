// Which CPU kernels TensorFlow runs, decided before it loads. TensorFlow turns its oneDNN
// kernels on by default only on CPUs with AVX-512 VNNI/BF16 or AMX; on AVX2 + FMA machines
// (most laptops, cloud Zen 3) it falls back to its Eigen kernels, which train LeNet-5 ~1.75×
// slower (measured in `npm run bench`, Keras oneDNN off vs on; accuracy unchanged). The choice
// is read by TensorFlow once, at load, from TF_ENABLE_ONEDNN_OPTS, so the engine entry applies
// it before the first require of tfjs-node. A value the user set is always kept.
import { readFileSync } from 'node:fs';
import type { KernelInfo } from '../shared/engine-protocol';

export const ONEDNN_ENV = 'TF_ENABLE_ONEDNN_OPTS';

export interface CpuDescription {
  /** process.arch */
  arch: string;
  /** The CPU's feature flags (lower case, as /proc/cpuinfo spells them), or null if unknown. */
  flags: ReadonlySet<string> | null;
}

/** This machine's CPU, from /proc/cpuinfo where there is one. */
export function describeCpu(): CpuDescription {
  let flags: Set<string> | null = null;
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => /^(flags|Features)\s*:/.test(l));
    if (line) flags = new Set(line.split(':')[1]!.trim().toLowerCase().split(/\s+/));
  } catch {
    // Not Linux: the flags stay unknown and TensorFlow keeps its own default.
  }
  return { arch: process.arch, flags };
}

/** What TF_ENABLE_ONEDNN_OPTS should be for this CPU, or null to leave TensorFlow's default. */
export function chooseOnednn(cpu: CpuDescription): { value: '1' | null; reason: string } {
  if (cpu.arch !== 'x64') {
    return { value: null, reason: `${cpu.arch}: TensorFlow's default kernels` };
  }
  if (!cpu.flags) return { value: null, reason: "CPU flags unknown: TensorFlow's default kernels" };
  if (cpu.flags.has('avx2') && cpu.flags.has('fma')) {
    return { value: '1', reason: 'x86-64 with AVX2 and FMA: oneDNN kernels' };
  }
  return { value: null, reason: "x86-64 without AVX2/FMA: TensorFlow's default kernels" };
}

/**
 * Sets TF_ENABLE_ONEDNN_OPTS in `env` (unless the user set it) and says what was decided.
 * Must run before @tensorflow/tfjs-node is first loaded in this process.
 */
export function applyKernelChoice(
  env: NodeJS.ProcessEnv,
  cpu: CpuDescription = describeCpu(),
): KernelInfo {
  const given = env[ONEDNN_ENV];
  if (given !== undefined && given !== '') {
    return {
      onednn: given === '1' || given.toLowerCase() === 'true' ? 'on' : 'off',
      decidedBy: 'environment',
      reason: `${ONEDNN_ENV}=${given} set by the user`,
    };
  }
  const { value, reason } = chooseOnednn(cpu);
  if (value === null) return { onednn: 'tensorflow-default', decidedBy: 'engine', reason };
  env[ONEDNN_ENV] = value;
  return { onednn: 'on', decidedBy: 'engine', reason };
}
