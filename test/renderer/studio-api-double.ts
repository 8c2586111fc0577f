// A StudioApi for the renderer's store tests: every verb is a vitest mock (refusing unless a
// test says otherwise, from the server tests' fake backend), events are pushed by the test.
import type { StudioApi, StudioEvent } from '../../src/shared/studio-contract';
import type { ModelSummary } from '../../src/shared/engine-protocol';
import type { RunRecord, RunSummary } from '../../src/shared/run-record';
import { TrainingConfigSchema } from '../../src/shared/training-config';
import { createStudioInfo } from '../../src/renderer/src/app/studio-info';
import { FAKE_INFO, createFakeBackend } from '../server/fake-backend';

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
  return {
    id,
    damaged: false,
    record: {
      formatVersion: 1,
      id,
      name: `run ${id}`,
      createdAt: '2025-01-02T13:45:00.000Z',
      updatedAt: '2025-01-02T13:50:00.000Z',
      status: 'completed',
      config: TrainingConfigSchema.parse({ epochs: 3 }),
      dataset: { name: 'MNIST', fingerprint: 'f' },
      versions: { studio: '0.1.0', tfjs: '4.22.0', tensorflow: '2.21.0' },
      epochsCompleted: 3,
      bestValAccuracy: 0.98,
      testAccuracy: 0.981,
      testLoss: 0.05,
      error: null,
      hasCheckpoint: true,
      ...overrides,
    },
  };
}
