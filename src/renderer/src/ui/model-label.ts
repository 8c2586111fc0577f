// How the views name the current model. One helper, three wordings, because each view says a
// different thing about it: Draw names the architecture and its accuracy, Evaluate where the
// model came from, Models the origin in a sentence of its own.
import { datasetDisplayName } from '../../../shared/dataset-identity';
import type { ModelSummary } from '../../../shared/engine-protocol';
import { formatPercent } from './format';

export type ModelLabelStyle =
  /** "LeNet-5, trained in this session · 98.50% test accuracy" (the Draw view). */
  | 'prediction'
  /** "lenet5 (run “first run”)" (the Evaluate view). */
  | 'evaluation'
  /** "Checkpoint of run “first run”" (the Models view's current model). */
  | 'origin'
  /** "lenet5 · Fashion-MNIST · 90.12%" (the header: always in sight, so short). */
  | 'header';

/** Where a model came from when neither a run nor a path says more. */
function sessionOrigin(model: ModelSummary): string {
  return model.source === 'trained' ? 'trained in this session' : 'loaded from disk';
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `runName` is the listed name of the model's run, when it is known; the id stands in. */
export function modelLabel(
  model: ModelSummary,
  style: ModelLabelStyle,
  runName?: string | null,
): string {
  const run = model.runId ? `run “${runName ?? model.runId}”` : null;
  switch (style) {
    case 'prediction': {
      const accuracy =
        model.testAccuracy !== undefined
          ? ` · ${formatPercent(model.testAccuracy)} test accuracy`
          : '';
      const preset = model.preset === 'lenet5' ? 'LeNet-5' : model.preset;
      return `${preset}, ${sessionOrigin(model)}${accuracy}`;
    }
    case 'evaluation':
      return `${model.preset} (${run ?? (model.path || sessionOrigin(model))})`;
    case 'header': {
      const parts: string[] = [model.preset];
      if (model.dataset) parts.push(datasetDisplayName(model.dataset));
      if (model.testAccuracy !== undefined) parts.push(formatPercent(model.testAccuracy));
      return parts.join(' · ');
    }
    case 'origin':
      if (run) return `${model.source === 'trained' ? 'Trained in' : 'Checkpoint of'} ${run}`;
      if (model.path) return `Loaded from ${model.path}`;
      return capitalised(sessionOrigin(model));
  }
}
