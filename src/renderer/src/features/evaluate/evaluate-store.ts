// The Evaluate feature's store: the form (which test set, how much of it), the evaluation in
// flight and the last result, kept across tab switches. Created once by the app.
import { computed, reactive, ref, shallowRef, watch, type ComputedRef, type Ref } from 'vue';
import type { Evaluation, ModelSummary } from '../../../../shared/engine-protocol';
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

export interface EvaluationResult {
  evaluation: Evaluation;
  /** The model evaluated (the current one may have changed since). */
  model: ModelSummary;
  /** "bundled MNIST · 10,000 test images". */
  dataset: string;
}

export interface EvaluateStore {
  form: EvaluateForm;
  checked: ComputedRef<EvaluateFormResult>;
  /** Field messages, once the person has tried to evaluate. */
  errors: ComputedRef<EvaluateFormResult['errors']>;
  busy: Ref<boolean>;
  failure: Ref<string | null>;
  last: Readonly<Ref<EvaluationResult | null>>;
  /** Run names by id, so a model opened from a run is named as the Models view names it. */
  runNames: Readonly<Ref<ReadonlyMap<string, string>>>;
  evaluate(): Promise<void>;
  pickFolder(): Promise<void>;
}

type EvaluateApi = Pick<StudioApi, 'evaluate' | 'listRuns' | 'chooseDatasetFolder'>;

export function createEvaluateStore(api: EvaluateApi, info: StudioInfoStore): EvaluateStore {
  const form = reactive(initialEvaluateForm());
  const touched = ref(false);
  const busy = ref(false);
  const failure = ref<string | null>(null);
  const last = shallowRef<EvaluationResult | null>(null);
  const runNames = shallowRef<ReadonlyMap<string, string>>(new Map());

  const checked = computed(() => evaluateRequest(form));
  const errors = computed(() => (touched.value ? checked.value.errors : {}));

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
    busy,
    failure,
    last,
    runNames,
    async evaluate() {
      touched.value = true;
      const request = checked.value.request;
      const current = info.info.value?.engine.model ?? null;
      if (!request || !current || busy.value) return;
      busy.value = true;
      failure.value = null;
      try {
        const evaluation = await api.evaluate(request);
        const source = request.dataset?.kind === 'folder' ? request.dataset.path : 'bundled MNIST';
        last.value = {
          evaluation,
          model: current,
          dataset: `${source} · ${formatCount(evaluation.samples)} test images`,
        };
      } catch (error) {
        failure.value = errorMessage(error);
      } finally {
        busy.value = false;
      }
    },
    async pickFolder() {
      const folder = await api.chooseDatasetFolder();
      if (folder) form.folder = folder;
    },
  };
}
