// The Evaluate view's form (which test set, how much of it) turned into an evaluate request,
// with a message per field when it cannot be. Pure.
import type { VerbRequest } from '../../../../shared/studio-contract';
import { isAbsolutePath } from '../models/models-export';

export interface EvaluateForm {
  source: 'bundled' | 'folder';
  folder: string;
  /** Empty means every test image; v-model.number leaves '' in an emptied number field. */
  testLimit: number | string | null;
}

export type EvaluateRequest = NonNullable<VerbRequest<'evaluate'>>;

export interface EvaluateFormResult {
  request: EvaluateRequest | null;
  errors: { folder?: string; testLimit?: string };
}

export function initialEvaluateForm(): EvaluateForm {
  return { source: 'bundled', folder: '', testLimit: null };
}

export function evaluateRequest(form: EvaluateForm): EvaluateFormResult {
  const errors: EvaluateFormResult['errors'] = {};
  const request: EvaluateRequest = {};
  if (form.source === 'folder') {
    const folder = form.folder.trim();
    if (!folder) errors.folder = 'Enter the dataset folder.';
    else if (!isAbsolutePath(folder))
      errors.folder = 'Give a full path (starting with / or a drive letter).';
    else request.dataset = { kind: 'folder', path: folder };
  }
  const limit = form.testLimit;
  if (limit !== null && limit !== '') {
    const n = typeof limit === 'number' ? limit : Number(limit);
    if (!Number.isInteger(n)) errors.testLimit = 'Must be a whole number.';
    else if (n < 1) errors.testLimit = 'Must be at least 1.';
    else request.testLimit = n;
  }
  return { request: Object.keys(errors).length > 0 ? null : request, errors };
}
