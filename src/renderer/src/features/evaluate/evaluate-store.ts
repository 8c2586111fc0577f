// The Evaluate feature's store: the form (which test set, how much of it), the evaluation in
// flight and the last result, the gallery on show (a confusion cell's images or the most
// confidently wrong), the images fetched for it and the image opened for inspection, kept
// across tab switches. Created once by the app.
import { computed, reactive, ref, shallowRef, watch, type ComputedRef, type Ref } from 'vue';
import type { Evaluation, ModelSummary, SampleDetails } from '../../../../shared/engine-protocol';
import type { DatasetRef } from '../../../../shared/training-config';
import type { SamplePredictions } from '../../../../shared/gallery';
import type { StudioApi } from '../../../../shared/studio-contract';
import type { StudioInfoStore } from '../../app/studio-info';
import { errorMessage } from '../../ui/error-message';
import { formatCount } from '../../ui/format';
import {
  evaluateRequest,
  initialEvaluateForm,
  type EvaluateForm,
  type EvaluateFormResult,
} from './evaluate-request';
import {
  galleryIndices,
  galleryItem,
  samplePredictions,
  type GalleryItem,
  type GallerySelection,
} from './evaluate-gallery';
import { createImageCache, type ImageCache } from './evaluate-images';
import { chosenData, mismatchWarning, modelKey, testSetFor } from './evaluate-data';

export interface EvaluationResult {
  evaluation: Evaluation;
  /** The model evaluated (the current one may have changed since). */
  model: ModelSummary;
  /** "bundled MNIST · 10,000 test images". */
  dataset: string;
  /** The test set evaluated: where the galleries' images come from. */
  datasetRef: DatasetRef | undefined;
  /** Set when the data evaluated has other classes than the model was trained on. */
  mismatch: string | null;
}

/** An evaluation under way: what the progress line says. */
export interface EvaluationProgress {
  /** The images being scored, when known (the subset asked for). */
  images: number | null;
  startedAt: number;
}

export interface EvaluateStore {
  form: EvaluateForm;
  checked: ComputedRef<EvaluateFormResult>;
  /** Field messages, once the person has tried to evaluate. */
  errors: ComputedRef<EvaluateFormResult['errors']>;
  /**
   * The warning before evaluating, when the chosen test set is known to have other classes than
   * the current model's (the bundled MNIST for a Fashion-MNIST model); null otherwise.
   */
  mismatch: ComputedRef<string | null>;
  busy: Ref<boolean>;
  failure: Ref<string | null>;
  last: Readonly<Ref<EvaluationResult | null>>;
  /** Run names by id, so a model opened from a run is named as the Models view names it. */
  runNames: Readonly<Ref<ReadonlyMap<string, string>>>;
  progress: Readonly<Ref<EvaluationProgress | null>>;
  /** The gallery on show (null: none chosen yet). */
  selection: Readonly<Ref<GallerySelection | null>>;
  /** Its test-sample indices in display order (most confidently wrong first). */
  gallery: ComputedRef<readonly number[]>;
  /** The image opened for inspection (a test-sample index), or null. */
  inspected: Readonly<Ref<number | null>>;
  /** Bumped whenever images arrive, so canvases waiting for one redraw. */
  imagesVersion: Readonly<Ref<number>>;
  imageFailure: Ref<string | null>;
  evaluate(): Promise<void>;
  pickFolder(): Promise<void>;
  select(selection: GallerySelection | null): void;
  item(index: number): GalleryItem | null;
  /** A test image's 28×28 bytes, if fetched (ask with loadImages). */
  image(index: number): Uint8Array | undefined;
  /** Fetches the images of these samples that are not in yet (a gallery page). */
  loadImages(indices: readonly number[]): Promise<void>;
  inspect(index: number | null): void;
}

type EvaluateApi = Pick<
  StudioApi,
  'evaluate' | 'datasetImages' | 'listRuns' | 'chooseDatasetFolder'
>;

export interface EvaluateStoreOptions {
  /** The clock for the progress line (tests pass their own). */
  now?: () => number;
}

export function createEvaluateStore(
  api: EvaluateApi,
  info: StudioInfoStore,
  options: EvaluateStoreOptions = {},
): EvaluateStore {
  const now = options.now ?? (() => Date.now());
  const form = reactive(initialEvaluateForm());
  const touched = ref(false);
  const busy = ref(false);
  const failure = ref<string | null>(null);
  const last = shallowRef<EvaluationResult | null>(null);
  const runNames = shallowRef<ReadonlyMap<string, string>>(new Map());
  const progress = shallowRef<EvaluationProgress | null>(null);
  const selection = shallowRef<GallerySelection | null>(null);
  const inspected = ref<number | null>(null);
  const imagesVersion = ref(0);
  const imageFailure = ref<string | null>(null);

  const details = computed<SampleDetails | null>(() => last.value?.evaluation.details ?? null);
  const samples = computed<SamplePredictions | null>(() =>
    details.value ? samplePredictions(details.value) : null,
  );
  const gallery = computed<readonly number[]>(() =>
    samples.value && selection.value ? galleryIndices(samples.value, selection.value) : [],
  );
  const images: ImageCache = createImageCache({
    fetch: (indices) => {
      const dataset = last.value?.datasetRef;
      return api.datasetImages({ ...(dataset ? { dataset } : {}), split: 'test', indices });
    },
    onLoaded: () => {
      imagesVersion.value++;
    },
    onError: (error) => {
      imageFailure.value = `Could not load the test images: ${errorMessage(error)}`;
    },
  });

  const checked = computed(() => evaluateRequest(form));
  const errors = computed(() => (touched.value ? checked.value.errors : {}));
  const mismatch = computed(() => {
    const model = info.info.value?.engine.model;
    const shown = last.value;
    // The result on show already says it for this very test set.
    if (
      shown?.mismatch &&
      modelKey(shown.model) === modelKey(model) &&
      JSON.stringify(shown.datasetRef) === JSON.stringify(checked.value.request?.dataset)
    )
      return null;
    return mismatchWarning(model, chosenData(form, model), 'before');
  });

  // The form starts on the current model's own data, and follows it when the model changes
  // (a finished run, a run opened, a model loaded); the person's own choice stands until then.
  watch(
    () => modelKey(info.info.value?.engine.model),
    (key, before) => {
      if (key === null || key === before) return;
      Object.assign(form, testSetFor(info.info.value?.engine.model));
    },
    { immediate: true },
  );

  watch(
    () => info.info.value?.engine.model?.runId,
    async (runId) => {
      if (!runId || runNames.value.has(runId)) return;
      try {
        const runs = await api.listRuns();
        runNames.value = new Map(
          runs.flatMap((r) => (r.damaged ? [] : [[r.id, r.record.name] as [string, string]])),
        );
      } catch {
        // The id is shown instead: naming the run is a nicety, not worth an error.
      }
    },
    { immediate: true },
  );

  return {
    form,
    checked,
    errors,
    mismatch,
    busy,
    failure,
    last,
    runNames,
    progress,
    selection,
    gallery,
    inspected,
    imagesVersion,
    imageFailure,
    async evaluate() {
      touched.value = true;
      const request = checked.value.request;
      const current = info.info.value?.engine.model ?? null;
      if (!request || !current || busy.value) return;
      busy.value = true;
      failure.value = null;
      progress.value = { images: request.testLimit ?? null, startedAt: now() };
      try {
        const evaluation = await api.evaluate({ ...request, details: true });
        const source = request.dataset?.kind === 'folder' ? request.dataset.path : 'bundled MNIST';
        // Another model or test set: the old galleries' images and choices no longer apply.
        images.clear();
        imageFailure.value = null;
        inspected.value = null;
        last.value = {
          evaluation,
          model: current,
          dataset: `${source} · ${formatCount(evaluation.samples)} test images`,
          datasetRef: request.dataset,
          mismatch: mismatchWarning(current, evaluation.dataset, 'after'),
        };
        // The mistakes are what a person came for: show them until a cell is chosen.
        selection.value = evaluation.details ? { kind: 'wrong' } : null;
      } catch (error) {
        failure.value = errorMessage(error);
      } finally {
        busy.value = false;
        progress.value = null;
      }
    },
    select(next) {
      selection.value = next;
    },
    item(index) {
      const d = details.value;
      return d && index >= 0 && index < d.labels.length ? galleryItem(d, index) : null;
    },
    image: (index) => images.get(index),
    loadImages: (indices) => images.ensure(indices),
    inspect(index) {
      inspected.value = index;
    },
    async pickFolder() {
      const folder = await api.chooseDatasetFolder();
      if (folder) form.folder = folder;
    },
  };
}
