// Builders for the studio events the renderer's state tests feed in.
import type { TrainSummary } from '../../../../src/shared/engine-protocol';
import type { StudioEvent } from '../../../../src/shared/studio-contract';
import { TrainingConfigSchema } from '../../../../src/shared/training-config';

type EventOf<K extends StudioEvent['kind']> = Extract<StudioEvent, { kind: K }>;

export function started(
  overrides: Partial<EventOf<'train-started'>> = {},
): EventOf<'train-started'> {
  return {
    kind: 'train-started',
    runId: null,
    startEpoch: 0,
    epochs: 2,
    batchesPerEpoch: 10,
    trainSamples: 1000,
    validationSamples: 100,
    testSamples: 500,
    params: 61_706,
    config: TrainingConfigSchema.parse({ batchSize: 100, epochs: 2, trainLimit: 1100 }),
    ...overrides,
  };
}

export function batch(overrides: Partial<EventOf<'batch'>> = {}): EventOf<'batch'> {
  return {
    kind: 'batch',
    epoch: 0,
    batch: 0,
    batchesPerEpoch: 10,
    loss: 2.3,
    accuracy: 0.1,
    learningRate: 0.003,
    samplesPerSecond: 1000,
    elapsedSeconds: 0.1,
    etaSeconds: 1.9,
    ...overrides,
  };
}

export function epoch(overrides: Partial<EventOf<'epoch'>> = {}): EventOf<'epoch'> {
  return {
    kind: 'epoch',
    epoch: 0,
    epochs: 2,
    loss: 0.5,
    accuracy: 0.85,
    valLoss: 0.3,
    valAccuracy: 0.9,
    seconds: 1,
    samplesPerSecond: 1000,
    numTensors: 20,
    ...overrides,
  };
}

export function summary(overrides: Partial<TrainSummary> = {}): TrainSummary {
  return {
    stopped: false,
    epochs: 2,
    batchesInLastEpoch: 10,
    trainSamples: 1000,
    validationSamples: 100,
    testSamples: 500,
    trainSeconds: 2,
    samplesPerSecond: 1000,
    testLoss: 0.2,
    testAccuracy: 0.9512,
    finalTrainLoss: 0.25,
    params: 61_706,
    runId: null,
    ...overrides,
  };
}
