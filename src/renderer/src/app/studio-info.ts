// What every view reads about the engine: versions, host, the current model, the runs folder.
// Asked once at start, again when the engine restarts or a run ends (a fresh engine has a new
// pid and no model; a finished run leaves a new current model), and whenever a view needs to
// be sure (before a batch, after loading a model).
import { shallowRef, type ShallowRef } from 'vue';
import type { StudioApi, VerbResponse } from '../../../shared/studio-contract';
import { errorMessage } from '../ui/error-message';

export type StudioInfo = VerbResponse<'getInfo'>;

export interface StudioInfoStore {
  info: ShallowRef<StudioInfo | null>;
  infoError: ShallowRef<string | null>;
  refresh(): Promise<void>;
}

export function createStudioInfo(api: Pick<StudioApi, 'getInfo' | 'onEvent'>): StudioInfoStore {
  const info = shallowRef<StudioInfo | null>(null);
  const infoError = shallowRef<string | null>(null);

  const refresh = async (): Promise<void> => {
    try {
      info.value = await api.getInfo();
      infoError.value = null;
    } catch (error) {
      infoError.value = errorMessage(error);
    }
  };

  api.onEvent((event) => {
    if (event.kind === 'engine-restarted' || event.kind === 'train-done') void refresh();
  });
  void refresh();

  return { info, infoError, refresh };
}
