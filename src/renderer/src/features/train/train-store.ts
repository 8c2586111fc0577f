// The Train feature's store: the training form and the reduced run state, plus the commands that
// drive a run. Created once by the app (see app/app-stores.ts), so a run's charts and the
// settings survive switching tabs.
import { computed, reactive, shallowRef, type ComputedRef, type ShallowRef } from 'vue';
import type { StudioApi, StudioEvent } from '../../../../shared/studio-contract';
import { isConnectionLost } from '../../services/ws-client';
import { errorMessage } from '../../ui/error-message';
import {
  defaultForm,
  formFromConfig,
  validateForm,
  withPresetChosen,
  type ConfigForm,
  type FormResult,
} from './config-form';
import {
  initialTrainingState,
  isActive,
  reduceTraining,
  type TrainingInput,
  type TrainingState,
} from './training-state';

export interface TrainStore {
  state: ShallowRef<TrainingState>;
  /** The settings form, edited by the config panel; a resumed run writes its own settings in. */
  form: ConfigForm;
  formResult: ComputedRef<FormResult>;
  resetForm(): void;
  /** After a person picks the architecture: the preset's own defaults fill the form. */
  presetChosen(): void;
  /** Starts a run with the form's settings (nothing happens while the form has errors). */
  start(): void;
  pause(): void;
  resume(): void;
  stop(): void;
  dismissNotice(): void;
  /**
   * Catches up with the host's run (at start, and after a reconnect): replays the events the
   * host kept since the run started, then those that arrived meanwhile.
   */
  attach(): Promise<void>;
}

type TrainApi = Pick<
  StudioApi,
  | 'onEvent'
  | 'runMetrics'
  | 'startTraining'
  | 'pauseTraining'
  | 'resumeTraining'
  | 'stopTraining'
  | 'trainingSnapshot'
>;

export function createTrainStore(api: TrainApi): TrainStore {
  // shallowRef: the state is replaced whole on each event, never mutated, so Vue need not
  // proxy thousands of chart points.
  const state = shallowRef<TrainingState>(initialTrainingState());
  const form = reactive(defaultForm());
  const formResult = computed(() => validateForm(form));

  const dispatch = (input: TrainingInput): void => {
    state.value = reduceTraining(state.value, input);
  };

  const handle = (event: StudioEvent): void => {
    dispatch(event);
    if (event.kind === 'train-started') {
      // The form shows what is actually training (a resumed run brings its own settings).
      Object.assign(form, formFromConfig(event.config));
      if (event.runId && event.startEpoch > 0) {
        const startEpoch = event.startEpoch;
        api
          .runMetrics({ runId: event.runId })
          .then((epochs) =>
            dispatch({ kind: 'ui-history', epochs: epochs.filter((e) => e.epoch < startEpoch) }),
          )
          .catch(() => undefined); // the curve simply starts at the resume point
      }
    }
  };

  /** Live events that arrive while a snapshot is on its way; replayed after it. */
  let pending: StudioEvent[] | null = null;
  api.onEvent((event) => (pending ? pending.push(event) : handle(event)));

  const attach = async (): Promise<void> => {
    if (pending) return; // already catching up
    pending = [];
    try {
      const events = await api.trainingSnapshot();
      const wasActive = isActive(state.value.status);
      // The host's record is the truth: the run it knows, or none (a restarted server).
      state.value = { ...initialTrainingState(), engine: state.value.engine };
      for (const event of events) handle(event);
      if (wasActive && events.length === 0) dispatch({ kind: 'ui-run-gone' });
    } catch {
      // Unreachable host: the live events alone will have to do.
    } finally {
      const arrived = pending;
      pending = null;
      for (const event of arrived) handle(event);
    }
  };
  void attach();

  /** Shows the request as sent; its failure (not its answer) is what the state hears of it. */
  const send = (
    input: TrainingInput,
    verb: 'start' | 'pause' | 'resume' | 'stop',
    request: () => Promise<unknown>,
  ): void => {
    dispatch(input);
    request().catch((error: unknown) =>
      dispatch(
        isConnectionLost(error)
          ? { kind: 'ui-connection-lost', verb }
          : { kind: 'ui-request-failed', verb, message: errorMessage(error) },
      ),
    );
  };

  return {
    state,
    form,
    formResult,
    resetForm: () => Object.assign(form, defaultForm()),
    presetChosen: () => Object.assign(form, withPresetChosen(form)),
    start() {
      const config = formResult.value.config;
      // Resolves when the run ends; its events have already told the state everything.
      if (config) send({ kind: 'ui-start' }, 'start', () => api.startTraining(config));
    },
    pause: () => send({ kind: 'ui-pause' }, 'pause', () => api.pauseTraining()),
    resume: () => send({ kind: 'ui-resume' }, 'resume', () => api.resumeTraining()),
    stop: () => send({ kind: 'ui-stop' }, 'stop', () => api.stopTraining()),
    dismissNotice: () => dispatch({ kind: 'ui-dismiss-notice' }),
    attach,
  };
}
