// What the distortion preview asks for, from the form's config: its strengths, seed and
// dataset; null when every strength is 0 (nothing to preview). Pure.
import type { TrainingConfigInput } from '../../../../shared/training-config';

export interface PreviewRequest {
  dataset?: TrainingConfigInput['dataset'];
  strengths: { translate: number; scale: number; squeeze: number; shear: number };
  seed: number;
  rows: number;
  variants: number;
}

export const PREVIEW_ROWS = 4;
export const PREVIEW_VARIANTS = 7;

export function previewRequestOf(config: TrainingConfigInput): PreviewRequest | null {
  const strengths = {
    translate: config.distortTranslate ?? 0,
    scale: config.distortScale ?? 0,
    squeeze: config.distortSqueeze ?? 0,
    shear: config.distortShear ?? 0,
  };
  if (Object.values(strengths).every((s) => s === 0)) return null;
  return {
    ...(config.dataset ? { dataset: config.dataset } : {}),
    strengths,
    seed: config.seed ?? 0,
    rows: PREVIEW_ROWS,
    variants: PREVIEW_VARIANTS,
  };
}
