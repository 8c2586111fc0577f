// The training form's state, shared by the config panel (which edits it) and the run controls
// (which start a run with it). Kept for the session, so switching tabs loses nothing.
import { computed, reactive, type ComputedRef } from 'vue';
import { defaultForm, validateForm, type ConfigForm, type FormResult } from '../state/config-form';

export interface ConfigFormSession {
  form: ConfigForm;
  result: ComputedRef<FormResult>;
  reset(): void;
}

let session: ConfigFormSession | null = null;

export function useConfigForm(): ConfigFormSession {
  if (!session) {
    const form = reactive(defaultForm());
    session = {
      form,
      result: computed(() => validateForm(form)),
      reset: () => Object.assign(form, defaultForm()),
    };
  }
  return session;
}
