// A complete, valid run record for renderer tests; each test overrides what it is about.
import type { RunRecord } from '../../src/shared/run-record';
import { TrainingConfigSchema } from '../../src/shared/training-config';

export function runRecord(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    formatVersion: 1,
    id: '20250102-134500-lenet5-abcdef',
    name: 'lenet5 · 3 epochs · lr 0.003',
    createdAt: '2025-01-02T13:45:00.000Z',
    updatedAt: '2025-01-02T13:50:00.000Z',
    status: 'completed',
    config: TrainingConfigSchema.parse({ epochs: 3 }),
    dataset: { name: 'MNIST', fingerprint: 'f' },
    versions: { studio: '0.1.0', tfjs: '4.22.0', tensorflow: '2.21.0' },
    epochsCompleted: 3,
    bestValAccuracy: 0.9876,
    testAccuracy: 0.98123,
    testLoss: 0.05,
    error: null,
    hasCheckpoint: true,
    ...overrides,
  };
}
