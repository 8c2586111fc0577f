// The app's training session: the reduced state plus the commands that drive a run. One
// instance for the whole app (created on first use), so a run's charts survive switching tabs.
import { shallowRef, type ShallowRef } from 'vue';
import type { VerbResponse } from '../../../shared/studio-contract';
import type { TrainingConfigInput } from '../../../shared/training-config';
import { useStudio } from '../services/api';
import { formFromConfig } from '../state/config-form';
import { useConfigForm } from './use-config-form';
import {
  initialTrainingState,
  reduceTraining,
  type TrainingInput,
  type TrainingState,
} from '../state/training-state';

export type StudioInfo = VerbResponse<'getInfo'>;

export interface TrainingSession {
  state: ShallowRef<TrainingState>;
  info: ShallowRef<StudioInfo | null>;
  infoError: ShallowRef<string | null>;
  start(config: TrainingConfigInput): void;
  pause(): void;
  resume(): void;
  stop(): void;
  dismissNotice(): void;
  refreshInfo(): Promise<void>;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function createSession(): TrainingSession {
  const { api } = useStudio();
  // shallowRef: the state is replaced whole on each event, never mutated, so Vue need not
  // proxy thousands of chart points.
  const state = shallowRef<TrainingState>(initialTrainingState());
  const info = shallowRef<StudioInfo | null>(null);
  const infoError = shallowRef<string | null>(null);

  const dispatch = (input: TrainingInput): void => {
    state.value = reduceTraining(state.value, input);
  };

  const refreshInfo = async (): Promise<void> => {
    try {
      info.value = await api.getInfo();
      infoError.value = null;
    } catch (error) {
      infoError.value = message(error);
    }
  };

  api.onEvent((event) => {
    dispatch(event);
    // A fresh engine has a new pid and no model: show its details again.
    if (event.kind === 'engine-restarted' || event.kind === 'train-done') void refreshInfo();
    if (event.kind === 'train-started') {
      // The form shows what is actually training (a resumed run brings its own settings).
      Object.assign(useConfigForm().form, formFromConfig(event.config));
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
  });
  void refreshInfo();

  return {
    state,
    info,
    infoError,
    start(config) {
      dispatch({ kind: 'ui-start' });
      // Resolves when the run ends; its events have already told the state everything.
      api
        .startTraining(config)
        .catch((error: unknown) =>
          dispatch({ kind: 'ui-request-failed', verb: 'start', message: message(error) }),
        );
    },
    pause() {
      dispatch({ kind: 'ui-pause' });
      api
        .pauseTraining()
        .catch((error: unknown) =>
          dispatch({ kind: 'ui-request-failed', verb: 'pause', message: message(error) }),
        );
    },
    resume() {
      dispatch({ kind: 'ui-resume' });
      api
        .resumeTraining()
        .catch((error: unknown) =>
          dispatch({ kind: 'ui-request-failed', verb: 'resume', message: message(error) }),
        );
    },
    stop() {
      dispatch({ kind: 'ui-stop' });
      api
        .stopTraining()
        .catch((error: unknown) =>
          dispatch({ kind: 'ui-request-failed', verb: 'stop', message: message(error) }),
        );
    },
    dismissNotice() {
      dispatch({ kind: 'ui-dismiss-notice' });
    },
    refreshInfo,
  };
}

let session: TrainingSession | null = null;

export function useTraining(): TrainingSession {
  session ??= createSession();
  return session;
}
