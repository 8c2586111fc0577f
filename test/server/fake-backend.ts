// A StudioBackend without an engine: records calls, answers with fixed values, and lets the
// test push events, so the server's checks are tested apart from TensorFlow.
import { vi, type Mock } from 'vitest';
import type { StudioBackend, StudioHandlers } from '../../src/host/studio-backend';
import {
  studioVerbs,
  type StudioEvent,
  type StudioVerb,
  type VerbResponse,
} from '../../src/shared/studio-contract';

export const FAKE_INFO: VerbResponse<'getInfo'> = {
  engine: {
    tfjs: '4.22.0',
    tensorflow: '2.21.0',
    backend: 'tensorflow',
    kernels: {
      onednn: 'on',
      decidedBy: 'engine',
      reason: 'x86-64 with AVX2 and FMA: oneDNN kernels',
    },
    pid: 42,
    training: false,
    model: null,
    previousModel: null,
    runsDir: '/tmp/lenet-runs',
    memory: { rssBytes: 1, peakRssBytes: 2, numTensors: 0, numBytes: 0 },
  },
  host: 'browser',
  appVersion: '0.1.0',
};

type FakeHandlers = { [V in StudioVerb]: Mock<StudioHandlers[V]> };

export function createFakeBackend() {
  const listeners = new Set<(event: StudioEvent) => void>();
  // Every verb of the contract, refusing by default (so new verbs need no change here)…
  const handlers = Object.fromEntries(
    studioVerbs.map((verb) => [
      verb,
      vi.fn(() => Promise.reject(new Error(`${verb} is not faked`))),
    ]),
  ) as unknown as FakeHandlers;
  // …and the few the tests use.
  handlers.getInfo.mockImplementation(async () => FAKE_INFO);
  handlers.startTraining.mockImplementation(() =>
    Promise.reject(new Error('a training run is already in progress')),
  );
  handlers.pauseTraining.mockImplementation(async () => ({ ok: true }));
  handlers.resumeTraining.mockImplementation(async () => ({ ok: true }));
  handlers.stopTraining.mockImplementation(async () => ({ ok: true }));
  // No run before the test starts one.
  handlers.trainingSnapshot.mockImplementation(async () => []);
  const backend: StudioBackend = {
    handlers,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    backend,
    handlers,
    emit(event: StudioEvent) {
      for (const listener of listeners) listener(event);
    },
    listenerCount: () => listeners.size,
  };
}
