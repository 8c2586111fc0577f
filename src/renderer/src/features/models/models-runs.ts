// The Models view's table rows, derived from the engine's run listing: what each run's status
// means to a person, why a run is damaged or was cut off, and which actions make sense for it
// right now. Pure, so every rule is unit-tested without a DOM or an engine.
import { datasetDisplayName } from '../../../../shared/dataset-identity';
import type { RunRecord, RunSummary } from '../../../../shared/run-record';
import { formatPercent } from '../../ui/format';

/** The record's statuses plus 'damaged' (run.json unreadable). */
export type RowStatus = RunRecord['status'] | 'damaged';

export type RowTone = 'neutral' | 'active' | 'success' | 'warn' | 'danger';

export const ROW_STATUS_LABELS: Record<RowStatus, string> = {
  running: 'Training',
  completed: 'Completed',
  stopped: 'Stopped',
  failed: 'Failed',
  interrupted: 'Interrupted',
  damaged: 'Damaged',
};

const TONES: Record<RowStatus, RowTone> = {
  running: 'active',
  completed: 'success',
  stopped: 'neutral',
  failed: 'danger',
  interrupted: 'warn',
  damaged: 'danger',
};

/** What a person can do with a run from its row. */
export type RunAction = 'open' | 'resume' | 'export' | 'delete';

export interface RunRow {
  id: string;
  name: string;
  status: RowStatus;
  statusLabel: string;
  tone: RowTone;
  /** Why the run is damaged, failed or interrupted; null when there is nothing to explain. */
  reason: string | null;
  /** The data it was trained on, as people know it (MNIST, Fashion-MNIST, a folder's name). */
  dataset: string;
  epochsDone: number | null;
  epochsTotal: number | null;
  bestValAccuracy: string;
  testAccuracy: string;
  /** Local "YYYY-MM-DD HH:MM"; the full ISO time goes in `createdAt` (for a tooltip). */
  date: string;
  createdAt: string | null;
  model: string | null;
  /** This run's checkpoint (or its training) is the engine's current model. */
  current: boolean;
  /** The engine is training this run right now. */
  active: boolean;
  canRename: boolean;
  canDelete: boolean;
  canOpen: boolean;
  canResume: boolean;
  canExport: boolean;
  canCompare: boolean;
}

export interface RowContext {
  /** runId of the engine's current model, if it came from a run. */
  currentRunId: string | null;
  /** True while the engine trains (any run): it refuses loads, exports and new runs then. */
  training: boolean;
}

/** Statuses from which the engine continues a run (it refuses completed ones). */
const RESUMABLE: ReadonlySet<RowStatus> = new Set(['interrupted', 'stopped', 'failed']);

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function reasonFor(record: RunRecord, status: RowStatus): string | null {
  const total = record.config.epochs;
  switch (status) {
    case 'interrupted':
      return record.hasCheckpoint
        ? `Cut off after ${record.epochsCompleted} of ${plural(total, 'epoch')} (the app closed or the engine stopped). Resume continues from the last checkpoint.`
        : 'Cut off before its first checkpoint: nothing to resume from.';
    case 'failed':
      return record.error ?? 'Training failed.';
    default:
      return null;
  }
}

/** 2025-01-02T13:45:00Z → "2025-01-02 14:45" in the local time zone; the input if unparsable. */
export function formatRunDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const two = (n: number): string => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ` +
    `${two(date.getHours())}:${two(date.getMinutes())}`
  );
}

export function toRunRow(run: RunSummary, context: RowContext): RunRow {
  if (run.damaged) {
    return {
      id: run.id,
      name: run.id,
      status: 'damaged',
      statusLabel: ROW_STATUS_LABELS.damaged,
      tone: TONES.damaged,
      reason: run.error,
      dataset: '–',
      epochsDone: null,
      epochsTotal: null,
      bestValAccuracy: '–',
      testAccuracy: '–',
      date: '–',
      createdAt: null,
      model: null,
      current: run.id === context.currentRunId,
      active: false,
      canRename: false,
      // A damaged folder can still be removed: that is how a person clears it up.
      canDelete: true,
      canOpen: false,
      canResume: false,
      canExport: false,
      canCompare: false,
    };
  }
  const record = run.record;
  // The engine already reports a 'running' run it is not training as 'interrupted' (a paused
  // run stays 'running' on disk: pausing is the engine's state, not the run's).
  const status = record.status;
  const active = status === 'running';
  // The engine refuses to load or export a model while it trains, and to start a second run.
  const idle = !context.training;
  const usable = record.hasCheckpoint && !active && idle;
  return {
    id: run.id,
    name: record.name,
    status,
    statusLabel: ROW_STATUS_LABELS[status],
    tone: TONES[status],
    reason: reasonFor(record, status),
    dataset: datasetDisplayName(record.dataset),
    epochsDone: record.epochsCompleted,
    epochsTotal: record.config.epochs,
    bestValAccuracy: formatPercent(record.bestValAccuracy),
    testAccuracy: formatPercent(record.testAccuracy),
    date: formatRunDate(record.createdAt),
    createdAt: record.createdAt,
    model: record.config.model,
    current: run.id === context.currentRunId,
    active,
    canRename: true,
    canDelete: !active,
    canOpen: usable,
    canResume: usable && RESUMABLE.has(status),
    canExport: usable,
    canCompare: true,
  };
}

export function toRunRows(runs: readonly RunSummary[], context: RowContext): RunRow[] {
  return runs.map((run) => toRunRow(run, context));
}

export const MAX_RUN_NAME = 200;

/** Checks a new run name; returns the trimmed name or the reason it cannot be used. */
export function validateRunName(
  name: string,
): { ok: true; name: string } | { ok: false; error: string } {
  const trimmed = name.trim();
  if (trimmed.length === 0) return { ok: false, error: 'A name cannot be empty.' };
  if (trimmed.length > MAX_RUN_NAME)
    return { ok: false, error: `At most ${MAX_RUN_NAME} characters.` };
  return { ok: true, name: trimmed };
}

/** "2 / 3" epochs, "–" when unknown. */
export function epochsText(row: Pick<RunRow, 'epochsDone' | 'epochsTotal'>): string {
  if (row.epochsDone === null || row.epochsTotal === null) return '–';
  return `${row.epochsDone} / ${row.epochsTotal}`;
}
