// A StudioApi for the renderer's store tests: every verb is a vitest mock (refusing unless a
// test says otherwise, from the server tests' fake backend), events are pushed by the test.
import type { StudioApi, StudioEvent } from '../../src/shared/studio-contract';
import type { ModelSummary } from '../../src/shared/engine-protocol';
import type { RunRecord, RunSummary } from '../../src/shared/run-record';
import { createStudioInfo } from '../../src/renderer/src/app/studio-info';
import { FAKE_INFO, createFakeBackend } from '../server/fake-backend';
import { runRecord } from './run-record-fixture';

export function createApiDouble() {
  const fake = createFakeBackend();
  const api = {
    ...fake.handlers,
    onEvent: fake.backend.onEvent,
    onProgress: () => () => undefined,
  } as unknown as StudioApi;
  /** What getInfo answers from now on. */
  const setModel = (model: ModelSummary | null): void => {
    fake.handlers.getInfo.mockImplementation(async () => ({
      ...FAKE_INFO,
      engine: { ...FAKE_INFO.engine, model },
    }));
  };
  return { api, handlers: fake.handlers, emit: (e: StudioEvent) => fake.emit(e), setModel };
}

/** The info store on the double, with its first answer in. */
export async function infoOn(api: StudioApi) {
  const info = createStudioInfo(api);
  await info.refresh();
  return info;
}

export const MODEL: ModelSummary = { preset: 'lenet5', params: 61_706, source: 'trained' };

/** Lets pending promise callbacks (and the ones they queue) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
}

export function runSummary(id: string, overrides: Partial<RunRecord> = {}): RunSummary {
  const record = runRecord({
    id,
    name: `run ${id}`,
    bestValAccuracy: 0.98,
    testAccuracy: 0.981,
    ...overrides,
  });
  return { id, damaged: false, record };
}
