// The Classify feature's store: the results of every batch so far, the filters over them, and
// the batch in flight. Created once by the app, so a running batch goes on and its results stay
// while another tab is shown. A batch lists its files, checks that a model is loaded, streams
// them through classifyBatch and sums up what happened in a notice.
//
// Generic over the file handle (a browser File in the app, a test double in tests): no DOM here.
import { computed, ref, shallowRef, triggerRef, watch, type ComputedRef, type Ref } from 'vue';
import { classNamesOf } from '../../../../shared/dataset-identity';
import type { StudioInfoStore } from '../../app/studio-info';
import { errorMessage } from '../../ui/error-message';
import { formatCount } from '../../ui/format';
import { classifyBatch, type BatchSource, type ChunkClassifier } from './classify-batch';
import {
  DEFAULT_VIEW,
  countResults,
  selectRows,
  type ClassifyRow,
  type ResultCounts,
  type ResultsView,
} from './classify-results';

/** Grid items rendered at once; more on request (10,000 cards at once would crawl). */
export const PAGE = 200;
/** New result cards a running batch adds to the grid per chunk (the rest come as it goes). */
const REVEAL_PER_CHUNK = 32;

export type ClassifyPhase = 'idle' | 'listing' | 'classifying';

export interface ClassifyProgress {
  done: number;
  total: number;
  /** Files found so far while folders are walked. */
  found: number;
  errors: number;
}

export interface ClassifyNotice {
  level: 'info' | 'warn' | 'error';
  message: string;
}

export interface ClassifyStore<F> {
  rows: Readonly<Ref<ClassifyRow[]>>;
  /**
   * Label i's name for the model of the last batch (Fashion-MNIST's T-shirt/top…, an image
   * folder's subfolders, or the digits): how predictions and labels are shown.
   */
  classNames: Readonly<Ref<readonly string[]>>;
  view: Ref<ResultsView>;
  /** How many of the selected rows the grid shows. */
  limit: Ref<number>;
  phase: Ref<ClassifyPhase>;
  progress: Ref<ClassifyProgress>;
  cancelRequested: Ref<boolean>;
  notice: Ref<ClassifyNotice | null>;
  busy: ComputedRef<boolean>;
  counts: ComputedRef<ResultCounts>;
  selected: ComputedRef<ClassifyRow[]>;
  shown: ComputedRef<ClassifyRow[]>;
  /**
   * Whether a new batch adds to the results shown (true) or replaces them (false, the default:
   * a new batch silently joining the last one read as one batch).
   */
  append: Ref<boolean>;
  /** The file a row was read from (to show the original image), while its row is kept. */
  originalOf(row: ClassifyRow): F | null;
  /** Classifies the files `list` finds (it may report files found through `progress.found`). */
  run(list: () => Promise<BatchSource<F>[]>): Promise<void>;
  cancel(): void;
  clearResults(): void;
  showMore(): void;
}

export interface ClassifyDeps<F> {
  info: StudioInfoStore;
  /** Classifies a chunk of files (the engine's decoder fed their bytes, in the app). */
  classify: ChunkClassifier<F>;
  /** Gives the UI a turn between chunks. */
  yieldToUi(): Promise<void>;
}

export function createClassifyStore<F>(deps: ClassifyDeps<F>): ClassifyStore<F> {
  const { info } = deps;
  // Rows are appended in place and announced with triggerRef: a new array per chunk would copy
  // 10,000 rows 150 times over a large batch.
  const rows = shallowRef<ClassifyRow[]>([]);
  const classNames = shallowRef<readonly string[]>(classNamesOf(null));
  const view = ref<ResultsView>({ ...DEFAULT_VIEW });
  const limit = ref(PAGE);
  const phase = ref<ClassifyPhase>('idle');
  const progress = ref<ClassifyProgress>({ done: 0, total: 0, found: 0, errors: 0 });
  const cancelRequested = ref(false);
  const notice = ref<ClassifyNotice | null>(null);
  const append = ref(false);
  const originals = new Map<number, F>();

  const busy = computed(() => phase.value !== 'idle');
  const counts = computed(() => countResults(rows.value, view.value.threshold));
  const selected = computed(() => selectRows(rows.value, view.value));
  // While a batch runs, the grid takes at most REVEAL_PER_CHUNK new cards per chunk: a chunk of
  // 64 new cards made a 50–60 ms frame at the start of a batch (measured), a few dozen do not.
  const revealed = ref(Number.POSITIVE_INFINITY);
  const shown = computed(() => selected.value.slice(0, Math.min(limit.value, revealed.value)));

  watch(view, () => (limit.value = PAGE));

  /** No rows, no originals, the filters back to all (the chosen threshold stays). */
  function clear(): void {
    rows.value = [];
    originals.clear();
    view.value = { ...DEFAULT_VIEW, threshold: view.value.threshold };
  }

  async function run(list: () => Promise<BatchSource<F>[]>): Promise<void> {
    if (busy.value) {
      notice.value = { level: 'warn', message: 'A batch is running: wait for it or cancel it.' };
      return;
    }
    notice.value = null;
    cancelRequested.value = false;
    phase.value = 'listing';
    progress.value = { done: 0, total: 0, found: 0, errors: 0 };
    try {
      await info.refresh();
      const model = info.info.value?.engine.model;
      if (!model) return; // the model notice says what to do
      classNames.value = classNamesOf(model.dataset);
      const sources = await list();
      if (sources.length === 0) {
        notice.value = {
          level: 'warn',
          message: 'No image files found (PNG, JPEG, BMP, GIF, WebP).',
        };
        return;
      }
      phase.value = 'classifying';
      if (!append.value) clear();
      revealed.value = rows.value.length;
      const before = rows.value.length;
      const outcome = await classifyBatch<F>({
        sources,
        classify: deps.classify,
        onRows: (finished) => {
          revealed.value = Math.min(
            rows.value.length + finished.length,
            Math.max(revealed.value, 0) + REVEAL_PER_CHUNK,
          );
          rows.value.push(...finished);
          triggerRef(rows);
          progress.value.errors += finished.filter((r) => r.error !== null).length;
        },
        onProgress: (done, total) => {
          progress.value.done = done;
          progress.value.total = total;
        },
        onOpened: (id, file) => originals.set(id, file),
        cancelled: () => cancelRequested.value,
        yieldToUi: deps.yieldToUi,
        firstId: before,
        classNames: classNames.value,
      });
      const added = rows.value.slice(before);
      const failed = added.filter((r) => r.error !== null).length;
      const summary =
        `${formatCount(added.length - failed)} classified` +
        (failed > 0 ? `, ${formatCount(failed)} could not be read` : '');
      notice.value =
        outcome.status === 'cancelled'
          ? {
              level: 'warn',
              message: `Cancelled after ${formatCount(outcome.processed)} of ${formatCount(sources.length)} files (${summary}).`,
            }
          : { level: 'info', message: `Done: ${summary}.` };
    } catch (error) {
      notice.value = { level: 'error', message: `Classification stopped: ${errorMessage(error)}` };
      void info.refresh();
    } finally {
      // Files opened for chunks that a cancel or a failure left undelivered have no row.
      for (const id of originals.keys()) if (id >= rows.value.length) originals.delete(id);
      revealed.value = Number.POSITIVE_INFINITY;
      phase.value = 'idle';
    }
  }

  return {
    rows,
    classNames,
    view,
    limit,
    phase,
    progress,
    cancelRequested,
    notice,
    busy,
    counts,
    selected,
    shown,
    append,
    originalOf: (row) => originals.get(row.id) ?? null,
    run,
    cancel: () => (cancelRequested.value = true),
    clearResults() {
      clear();
      notice.value = null;
    },
    showMore: () => (limit.value += PAGE * 5),
  };
}
