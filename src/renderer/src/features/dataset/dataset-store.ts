// The Dataset feature's store: which dataset to look at, its summary (classes, counts) and the
// sample images of the split shown, kept across tab switches. Created once by the app.
import { computed, reactive, ref, shallowRef, type ComputedRef, type Ref } from 'vue';
import type { DatasetImages, DatasetSummary } from '../../../../shared/engine-protocol';
import type { StudioApi } from '../../../../shared/studio-contract';
import { errorMessage } from '../../ui/error-message';
import {
  datasetSummaryRequest,
  sampleIndices,
  type DatasetForm,
  type DatasetSummaryRequest,
  type Split,
} from './dataset-summary-view';

export interface DatasetStore {
  form: DatasetForm;
  /** The form's message, once the person has asked. */
  error: ComputedRef<string | null>;
  split: Ref<Split>;
  busy: Ref<boolean>;
  failure: Ref<string | null>;
  summary: Readonly<Ref<DatasetSummary | null>>;
  /** Samples of `split`, as sampleIndices lists them. */
  images: Readonly<Ref<DatasetImages | null>>;
  show(): Promise<void>;
  showSplit(split: Split): Promise<void>;
  pickFolder(): Promise<void>;
}

type DatasetApi = Pick<StudioApi, 'datasetSummary' | 'datasetImages' | 'chooseDatasetFolder'>;

export function createDatasetStore(api: DatasetApi): DatasetStore {
  const form = reactive<DatasetForm>({ source: 'bundled', folder: '' });
  const touched = ref(false);
  const split = ref<Split>('train');
  const busy = ref(false);
  const failure = ref<string | null>(null);
  const summary = shallowRef<DatasetSummary | null>(null);
  const images = shallowRef<DatasetImages | null>(null);
  let shown: DatasetSummaryRequest | null = null;
  // A later request supersedes an earlier one still on its way.
  let generation = 0;

  const checked = computed(() => datasetSummaryRequest(form));

  async function loadImages(request: DatasetSummaryRequest, s: DatasetSummary, which: Split) {
    const indices = sampleIndices(s, which);
    if (indices.length === 0) return null;
    return api.datasetImages({ dataset: request.dataset, split: which, indices });
  }

  return {
    form,
    error: computed(() => (touched.value ? checked.value.error : null)),
    split,
    busy,
    failure,
    summary,
    images,
    async show() {
      touched.value = true;
      const request = checked.value.request;
      if (!request) return;
      const mine = ++generation;
      busy.value = true;
      failure.value = null;
      try {
        const s = await api.datasetSummary(request);
        const pictures = await loadImages(request, s, split.value);
        if (mine !== generation) return;
        shown = request;
        summary.value = s;
        images.value = pictures;
      } catch (error) {
        if (mine === generation) failure.value = errorMessage(error);
      } finally {
        if (mine === generation) busy.value = false;
      }
    },
    async showSplit(which) {
      split.value = which;
      const s = summary.value;
      if (!s || !shown) return;
      const mine = ++generation;
      try {
        const pictures = await loadImages(shown, s, which);
        if (mine === generation) images.value = pictures;
      } catch (error) {
        if (mine === generation) failure.value = errorMessage(error);
      }
    },
    async pickFolder() {
      const folder = await api.chooseDatasetFolder();
      if (folder) form.folder = folder;
    },
  };
}
