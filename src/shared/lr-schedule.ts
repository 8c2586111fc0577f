// Learning-rate schedules, as pure functions of the step.
import type { TrainingConfig } from './training-config';

/** Cosine decays to this fraction of the base rate rather than to zero. */
const COSINE_FLOOR = 0.05;

export function learningRateAt(
  config: Pick<TrainingConfig, 'learningRate' | 'lrSchedule'>,
  step: number,
  totalSteps: number,
): number {
  if (config.lrSchedule === 'constant' || totalSteps <= 1) return config.learningRate;
  const progress = Math.min(1, Math.max(0, step / (totalSteps - 1)));
  const cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
  return config.learningRate * (COSINE_FLOOR + (1 - COSINE_FLOOR) * cosine);
}
