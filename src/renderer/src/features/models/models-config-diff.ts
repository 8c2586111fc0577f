// What sets compared runs apart: the settings of their recorded configs (run.json) that differ,
// named and shown as the settings form names and shows them (from the shared option table), and
// the data each was trained on. Settings all runs share are only counted. Pure.
import { datasetDisplayName, type DatasetIdentity } from '../../../../shared/dataset-identity';
import type { TrainingConfig } from '../../../../shared/training-config';
import {
  TRAINING_OPTIONS,
  type ChoiceOption,
  type NumberOption,
} from '../../../../shared/training-options';
import { formatCount } from '../../ui/format';
import { labelFromKey } from '../train/config-fields';

export interface DiffRun {
  id: string;
  name: string;
  config: TrainingConfig;
  dataset: DatasetIdentity;
}

export interface DiffRow {
  /** The option's key, or 'dataset'. */
  key: string;
  label: string;
  /** One value per run, in the runs' order. */
  values: string[];
  differs: boolean;
}

export interface ConfigDiff {
  /** The dataset first (always: it says what the curves were measured on), then every setting that differs. */
  rows: DiffRow[];
  /** Settings every run has alike, left out of `rows`. */
  same: number;
}

type AnyOption = ChoiceOption<string> | NumberOption;

/** A setting as the form would show it: a choice's label, a grouped count, or "All samples". */
export function formatSetting(option: AnyOption, value: unknown): string {
  if (option.kind === 'choice')
    return value === undefined ? '—' : (option.labels[String(value)] ?? String(value));
  if (value === undefined) return option.form?.placeholder ?? '—';
  if (typeof value !== 'number') return String(value);
  // Whole counts read grouped (60,000); rates and fractions as they were typed (0.003).
  return option.int && Math.abs(value) >= 10_000 ? formatCount(value) : String(value);
}

/** The dataset's name, with its fingerprint's start where two different datasets share a name. */
function datasetValues(datasets: readonly DatasetIdentity[]): string[] {
  const names = datasets.map((d) => datasetDisplayName(d));
  return datasets.map((d, i) => {
    const clash = datasets.some(
      (other, j) => j !== i && names[j] === names[i] && other.fingerprint !== d.fingerprint,
    );
    return clash ? `${names[i]} (${d.fingerprint.replace(/^sha256:/, '').slice(0, 8)})` : names[i]!;
  });
}

export function configDiff(runs: readonly DiffRun[]): ConfigDiff {
  const datasets = datasetValues(runs.map((r) => r.dataset));
  const rows: DiffRow[] = [
    {
      key: 'dataset',
      label: 'Dataset',
      values: datasets,
      differs: new Set(runs.map((r) => r.dataset.fingerprint)).size > 1,
    },
  ];
  let same = 0;
  for (const [key, option] of Object.entries(TRAINING_OPTIONS) as Array<[string, AnyOption]>) {
    const raw = runs.map((r) => (r.config as Record<string, unknown>)[key]);
    if (raw.every((v) => v === raw[0])) {
      same++;
      continue;
    }
    rows.push({
      key,
      label: option.form?.label ?? labelFromKey(key),
      values: raw.map((v) => formatSetting(option, v)),
      differs: true,
    });
  }
  return { rows, same };
}
