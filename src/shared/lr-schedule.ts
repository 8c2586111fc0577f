// Learning-rate schedules, as pure functions of the step.
import type { TrainingConfig } from './training-config';

/** Cosine decays to this fraction of the base rate rather than to zero. */
const COSINE_FLOOR = 0.05;

/**
 * The paper's schedule (LeCun et al. 1998, §V-B): 0.0005 for 2 passes, 0.0002 for 3, 0.0001
 * for 3, 0.00005 for 4, then 0.00001 — as fractions of the first rate, over 20 passes. Runs of
 * another length are stretched to the same shape (pass p of E counts as pass 20·p/E).
 */
const LECUN_1998_STEPS: ReadonlyArray<readonly [untilPass: number, factor: number]> = [
  [2, 1],
  [5, 0.4],
  [8, 0.2],
  [12, 0.1],
  [Infinity, 0.02],
];

export function lecun1998Factor(pass: number): number {
  return LECUN_1998_STEPS.find(([until]) => pass < until)![1];
}

export function learningRateAt(
  config: Pick<TrainingConfig, 'learningRate' | 'lrSchedule'>,
  step: number,
  totalSteps: number,
): number {
  if (config.lrSchedule === 'lecun-1998') {
    const pass = Math.floor((20 * step) / Math.max(totalSteps, 1));
    return config.learningRate * lecun1998Factor(pass);
  }
  if (config.lrSchedule === 'constant' || totalSteps <= 1) return config.learningRate;
  const progress = Math.min(1, Math.max(0, step / (totalSteps - 1)));
  const cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
  return config.learningRate * (COSINE_FLOOR + (1 - COSINE_FLOOR) * cosine);
}
