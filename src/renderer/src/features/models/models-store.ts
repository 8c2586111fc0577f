// The Models feature's store: the run history and what is done with it — rename, open as the
// current model, resume, export, delete, compare curves and settings — and loading a model from
// disk. Created
// once by the app; while the view is on screen it follows the engine (follow()), reloading the
// list when a run starts, finishes an epoch, pauses or ends.
import { computed, ref, shallowRef, type ComputedRef, type Ref, type ShallowRef } from 'vue';
import type { ModelSummary } from '../../../../shared/engine-protocol';
import type { BatchPoint, EpochMetrics, RunSummary } from '../../../../shared/run-record';
import type { StudioApi } from '../../../../shared/studio-contract';
import type { StudioInfoStore } from '../../app/studio-info';
import { SMOOTHING_DEFAULT, clampSmoothing } from '../../ui/chart/smoothing';
import { errorMessage } from '../../ui/error-message';
import type { TrainStore } from '../train/train-store';
import { isActive, type Notice } from '../train/training-state';
import type { ExportKind } from './models-export';
import type { DiffRun } from './models-config-diff';
import { pruneSelection, toggleSelected, type OverlayRun } from './models-overlay';
import { toRunRows, type RunAction, type RunRow } from './models-runs';

export interface BusyRun {
  runId: string;
  action: RunAction;
}

export interface ModelsStore {
  runs: ShallowRef<RunSummary[]>;
  /** True once the list has been asked for (an empty list says "no runs yet" only then). */
  listed: Ref<boolean>;
  listError: Ref<string | null>;
  notice: Ref<Notice | null>;
  busy: Ref<BusyRun | null>;
  /** Runs ticked for comparison, in the order ticked. */
  selected: Ref<string[]>;
  compareError: Ref<string | null>;
  /** Weight of the batch curves' moving average in the comparison (0 raw … 0.99). */
  smoothing: Ref<number>;
  exportRunId: Ref<string | null>;
  deleteRunId: Ref<string | null>;
  deleteError: Ref<string | null>;
  deleting: Ref<boolean>;
  currentModel: ComputedRef<ModelSummary | null>;
  /** The engine trains (this tab's run, or one it reports as running): it refuses model swaps. */
  training: ComputedRef<boolean>;
  rows: ComputedRef<RunRow[]>;
  rowById: ComputedRef<Map<string, RunRow>>;
  exportRow: ComputedRef<RunRow | null>;
  deleteRow: ComputedRef<RunRow | null>;
  currentRunName: ComputedRef<string | null>;
  overlayRuns: ComputedRef<OverlayRun[]>;
  /** The compared runs' recorded settings and data, in the curves' order. */
  diffRuns: ComputedRef<DiffRun[]>;
  /** Runs picked whose metrics are still loading. */
  pendingMetrics: ComputedRef<number>;
  refresh(): Promise<void>;
  /** Follows the engine's events and refreshes now; returns the function that stops following. */
  follow(): () => void;
  toggle(runId: string): void;
  clearSelection(): void;
  setSmoothing(weight: number): void;
  rename(runId: string, name: string): Promise<void>;
  /** The run table's buttons. `onResumed` is called once the resumed run has started. */
  act(runId: string, action: RunAction, onResumed: () => void): void;
  exportRun(
    runId: string,
    path: string,
    kind: ExportKind,
  ): Promise<{ dir: string; files: string[] }>;
  loadModel(path: string): Promise<void>;
  confirmDelete(): Promise<void>;
}

type ModelsApi = Pick<
  StudioApi,
  | 'onEvent'
  | 'listRuns'
  | 'runMetrics'
  | 'runBatches'
  | 'renameRun'
  | 'loadRun'
  | 'resumeRun'
  | 'exportModel'
  | 'loadModel'
  | 'deleteRun'
>;

export interface ModelsDeps {
  api: ModelsApi;
  info: StudioInfoStore;
  train: Pick<TrainStore, 'state'>;
}

type ReadableRun = Extract<RunSummary, { damaged: false }>;

export function createModelsStore({ api, info, train }: ModelsDeps): ModelsStore {
  const runs = shallowRef<RunSummary[]>([]);
  const listed = ref(false);
  const listError = ref<string | null>(null);
  const notice = ref<Notice | null>(null);
  const busy = ref<BusyRun | null>(null);
  const selected = ref<string[]>([]);
  /** Per-epoch metrics and batch history of compared runs, kept while the record is unchanged. */
  const metrics = shallowRef(
    new Map<string, { updatedAt: string; metrics: EpochMetrics[]; batches: BatchPoint[] }>(),
  );
  const compareError = ref<string | null>(null);
  const smoothing = ref(SMOOTHING_DEFAULT);
  const exportRunId = ref<string | null>(null);
  const deleteRunId = ref<string | null>(null);
  const deleteError = ref<string | null>(null);
  const deleting = ref(false);

  const currentModel = computed(() => info.info.value?.engine.model ?? null);
  const training = computed(
    () =>
      isActive(train.state.value.status) ||
      runs.value.some((run) => !run.damaged && run.record.status === 'running'),
  );
  const rows = computed<RunRow[]>(() =>
    toRunRows(runs.value, {
      currentRunId: currentModel.value?.runId ?? null,
      training: training.value,
    }),
  );
  const rowById = computed(() => new Map(rows.value.map((row) => [row.id, row])));
  const exportRow = computed(() =>
    exportRunId.value ? (rowById.value.get(exportRunId.value) ?? null) : null,
  );
  const deleteRow = computed(() =>
    deleteRunId.value ? (rowById.value.get(deleteRunId.value) ?? null) : null,
  );
  const currentRunName = computed(() => {
    const id = currentModel.value?.runId;
    return id ? (rowById.value.get(id)?.name ?? null) : null;
  });

  const overlayRuns = computed<OverlayRun[]>(() => {
    const out: OverlayRun[] = [];
    for (const id of selected.value) {
      const run = runs.value.find((r) => r.id === id);
      const cached = metrics.value.get(id);
      if (run && !run.damaged && cached)
        out.push({
          id,
          name: run.record.name,
          epochs: run.record.config.epochs,
          metrics: cached.metrics,
          batches: cached.batches,
        });
    }
    return out;
  });
  // The runs of the curves, in the same order (so a run has one colour in both).
  const diffRuns = computed<DiffRun[]>(() =>
    overlayRuns.value.flatMap(({ id, name }) => {
      const run = runs.value.find((r) => r.id === id);
      return run && !run.damaged
        ? [{ id, name, config: run.record.config, dataset: run.record.dataset }]
        : [];
    }),
  );
  const pendingMetrics = computed(() => selected.value.length - overlayRuns.value.length);

  async function loadMetrics(): Promise<void> {
    const wanted = selected.value
      .map((id) => runs.value.find((r) => r.id === id))
      .filter((run): run is ReadableRun => !!run && !run.damaged)
      .filter((run) => metrics.value.get(run.id)?.updatedAt !== run.record.updatedAt);
    if (wanted.length === 0) return;
    try {
      // A batch history that cannot be read leaves that run's training per epoch, not the
      // whole comparison empty.
      let batchError: string | null = null;
      const fetched = await Promise.all(
        wanted.map(async (run) => {
          const [epochs, batches] = await Promise.all([
            api.runMetrics({ runId: run.id }),
            api.runBatches({ runId: run.id }).catch((err: unknown) => {
              batchError = errorMessage(err);
              return { points: [], total: 0 };
            }),
          ]);
          return { id: run.id, updatedAt: run.record.updatedAt, epochs, batches };
        }),
      );
      const next = new Map(metrics.value);
      for (const f of fetched)
        next.set(f.id, { updatedAt: f.updatedAt, metrics: f.epochs, batches: f.batches.points });
      metrics.value = next;
      compareError.value = batchError
        ? `Could not read a run's batch curves (its training is shown per epoch): ${batchError}`
        : null;
    } catch (err) {
      compareError.value = `Could not read a run's metrics: ${errorMessage(err)}`;
    }
  }

  // Overlapping refreshes (several events in a row): only the newest answer is applied.
  let generation = 0;
  async function refresh(): Promise<void> {
    const mine = ++generation;
    try {
      const list = await api.listRuns();
      if (mine !== generation) return;
      runs.value = list;
      listError.value = null;
    } catch (err) {
      if (mine === generation) listError.value = errorMessage(err);
      return;
    } finally {
      if (mine === generation) listed.value = true;
    }
    const comparable = new Set(runs.value.filter((r) => !r.damaged).map((r) => r.id));
    selected.value = pruneSelection(selected.value, comparable);
    if (exportRunId.value && !comparable.has(exportRunId.value)) exportRunId.value = null;
    await loadMetrics();
  }

  async function open(row: RunRow): Promise<void> {
    busy.value = { runId: row.id, action: 'open' };
    notice.value = null;
    try {
      await api.loadRun({ runId: row.id });
      await info.refresh();
      notice.value = {
        level: 'info',
        message: `“${row.name}” is now the current model: Draw, Classify and Evaluate use it.`,
      };
    } catch (err) {
      notice.value = {
        level: 'error',
        message: `Could not open “${row.name}”: ${errorMessage(err)}`,
      };
    } finally {
      busy.value = null;
    }
  }

  /**
   * Resumes a run; `onStarted` runs as soon as the engine says the run has started (its progress
   * shows in the Train view). The request itself settles only when the run ends; if it fails
   * before the run starts (no checkpoint, changed dataset), the reason is the notice instead.
   */
  function resume(row: RunRow, onStarted: () => void): void {
    busy.value = { runId: row.id, action: 'resume' };
    notice.value = null;
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      stopListening();
      busy.value = null;
      return true;
    };
    const stopListening = api.onEvent((event) => {
      if (event.kind === 'train-started' && event.runId === row.id && settle()) onStarted();
    });
    api.resumeRun({ runId: row.id }).then(
      () => {
        settle();
        void refresh();
      },
      (err: unknown) => {
        if (settle())
          notice.value = {
            level: 'error',
            message: `Could not resume “${row.name}”: ${errorMessage(err)}`,
          };
        void refresh();
      },
    );
  }

  return {
    runs,
    listed,
    listError,
    notice,
    busy,
    selected,
    compareError,
    smoothing,
    exportRunId,
    deleteRunId,
    deleteError,
    deleting,
    currentModel,
    training,
    rows,
    rowById,
    exportRow,
    deleteRow,
    currentRunName,
    overlayRuns,
    diffRuns,
    pendingMetrics,
    refresh,
    follow() {
      const stop = api.onEvent((event) => {
        switch (event.kind) {
          case 'train-started':
          case 'epoch':
          case 'paused':
          case 'resumed':
          case 'train-done':
          case 'train-failed':
          case 'engine-restarted':
            void refresh();
        }
      });
      void refresh();
      void info.refresh();
      return stop;
    },
    toggle(runId) {
      selected.value = toggleSelected(selected.value, runId);
      void loadMetrics();
    },
    clearSelection() {
      selected.value = [];
    },
    setSmoothing(weight) {
      smoothing.value = clampSmoothing(weight);
    },
    async rename(runId, name) {
      await api.renameRun({ runId, name });
      await refresh();
    },
    act(runId, action, onResumed) {
      const row = rowById.value.get(runId);
      if (!row) return;
      switch (action) {
        case 'open':
          void open(row);
          return;
        case 'resume':
          resume(row, onResumed);
          return;
        case 'export':
          exportRunId.value = runId;
          return;
        case 'delete':
          deleteError.value = null;
          deleteRunId.value = runId;
          return;
      }
    },
    /** Exports the run's model: opened as the current model first unless it already is. */
    async exportRun(runId, path, kind) {
      if (currentModel.value?.runId !== runId) {
        await api.loadRun({ runId });
        await info.refresh();
      }
      return api.exportModel({ dir: path, singleFile: kind === 'file' });
    },
    async loadModel(path) {
      await api.loadModel({ dir: path });
      await info.refresh();
    },
    async confirmDelete() {
      const row = deleteRow.value;
      if (!row || deleting.value) return;
      deleting.value = true;
      deleteError.value = null;
      try {
        await api.deleteRun({ runId: row.id });
        deleteRunId.value = null;
        if (exportRunId.value === row.id) exportRunId.value = null;
        await refresh();
      } catch (err) {
        deleteError.value = `Could not delete: ${errorMessage(err)}`;
      } finally {
        deleting.value = false;
      }
    },
  };
}
