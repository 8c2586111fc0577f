// The learning-rate finder of the Train view: sends the form's settings to the engine's range
// test (a throwaway model trains 100 batches at rates growing from 1e-5 to 1), keeps what came
// back, and puts the suggested rate into the form on request. Refused while a run trains (the
// engine says so too). Created once by the app, so a sweep's chart survives a tab switch.
import { ref, shallowRef, type Ref, type ShallowRef } from 'vue';
import type { LrRangeTest } from '../../../../shared/engine-protocol';
import type { StudioApi } from '../../../../shared/studio-contract';
import type { TrainingConfigInput } from '../../../../shared/training-config';
import { errorMessage } from '../../ui/error-message';
import { isActive } from './training-state';
import type { TrainStore } from './train-store';

export interface LrFinderResult extends LrRangeTest {
  /** The settings swept (the form may have moved on since). */
  config: TrainingConfigInput;
}

export interface LrFinderStore {
  running: Ref<boolean>;
  result: ShallowRef<LrFinderResult | null>;
  failure: Ref<string | null>;
  /** Sweeps with the form's settings (nothing happens while the form has errors). */
  run(): Promise<void>;
  /** Writes the suggested rate into the form's learning rate. */
  useSuggestion(): void;
}

export const NOT_WHILE_TRAINING =
  'The learning-rate finder cannot run while a run trains: wait for it to end, or stop it.';

export function createLrFinderStore(
  api: Pick<StudioApi, 'findLearningRate'>,
  train: Pick<TrainStore, 'state' | 'form' | 'formResult'>,
): LrFinderStore {
  const running = ref(false);
  const result = shallowRef<LrFinderResult | null>(null);
  const failure = ref<string | null>(null);

  return {
    running,
    result,
    failure,
    async run() {
      const config = train.formResult.value.config;
      if (!config || running.value) return;
      if (isActive(train.state.value.status)) {
        failure.value = NOT_WHILE_TRAINING;
        return;
      }
      running.value = true;
      failure.value = null;
      try {
        result.value = { ...(await api.findLearningRate(config)), config };
      } catch (error) {
        failure.value = `The learning-rate finder failed: ${errorMessage(error)}`;
      } finally {
        running.value = false;
      }
    },
    useSuggestion() {
      const suggested = result.value?.suggested;
      // Two significant digits: a rate is a rough choice, and the field stays readable.
      if (suggested) train.form.learningRate = Number(suggested.toPrecision(2));
    },
  };
}
