// Which test set the Evaluate form starts on (the current model's own data, when it was read
// from a folder), and the warning when the chosen data's classes are not the model's (a
// Fashion-MNIST model on the bundled MNIST digits scores ~8% and means nothing). Pure.
import {
  BUNDLED_MNIST,
  classMismatch,
  classNamesOf,
  datasetDisplayName,
  type DatasetIdentity,
} from '../../../../shared/dataset-identity';
import type { ModelSummary } from '../../../../shared/engine-protocol';
import type { EvaluateForm } from './evaluate-request';

/** Tells one current model from another (a new run, a load, the previous one back). */
export function modelKey(model: ModelSummary | null | undefined): string | null {
  if (!model) return null;
  return [model.source, model.runId ?? '', model.path ?? '', model.dataset?.fingerprint ?? ''].join(
    '|',
  );
}

/** The form's test set for a model: its own folder when it has one, else the bundled MNIST. */
export function testSetFor(
  model: ModelSummary | null | undefined,
): Pick<EvaluateForm, 'source'> & Partial<Pick<EvaluateForm, 'folder'>> {
  const ref = model?.datasetRef;
  return ref?.kind === 'folder' ? { source: 'folder', folder: ref.path } : { source: 'bundled' };
}

/**
 * What the form's choice is known to hold before anything is evaluated: the bundled MNIST, or
 * the model's own folder; null for another folder (the engine says once it has read it).
 */
export function chosenData(
  form: Pick<EvaluateForm, 'source' | 'folder'>,
  model: ModelSummary | null | undefined,
): DatasetIdentity | null {
  if (form.source === 'bundled') return BUNDLED_MNIST;
  const ref = model?.datasetRef;
  if (ref?.kind === 'folder' && model?.dataset && ref.path === form.folder.trim())
    return model.dataset;
  return null;
}

function dataPhrase(data: DatasetIdentity): string {
  return data.kind === 'bundled' ? 'the bundled MNIST test set' : datasetDisplayName(data);
}

/**
 * The warning for a model and the data chosen (`before` an evaluation) or evaluated, or null
 * when their classes agree or either is unknown.
 */
export function mismatchWarning(
  model: ModelSummary | null | undefined,
  data: DatasetIdentity | null | undefined,
  when: 'before' | 'after',
): string | null {
  const trained = model?.dataset;
  if (!trained || !data || classMismatch(trained, data) === null) return null;
  const theirs = classNamesOf(data).slice(0, 3).join(', ');
  const meaning =
    when === 'before' ? 'accuracy on it will mean nothing' : 'this accuracy means nothing';
  const own =
    model.datasetRef?.kind === 'folder' ? ` Its own test set is in ${model.datasetRef.path}.` : '';
  return (
    `This model was trained on ${datasetDisplayName(trained)}; ${dataPhrase(data)} has other ` +
    `classes (${theirs}, …): ${meaning}.${own}`
  );
}
