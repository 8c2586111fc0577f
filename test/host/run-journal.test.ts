import { describe, expect, it } from 'vitest';
import { createRunJournal } from '../../src/host/run-journal';
import type { StudioEvent } from '../../src/shared/studio-contract';
import { batch, started } from '../renderer/features/train/training-events';

function source() {
  const listeners = new Set<(event: StudioEvent) => void>();
  return {
    onEvent: (listener: (event: StudioEvent) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit: (event: StudioEvent) => listeners.forEach((l) => l(event)),
    count: () => listeners.size,
  };
}

describe('run journal', () => {
  it('keeps the current run from its start, in order; a new run replaces it', () => {
    const events = source();
    const journal = createRunJournal(events.onEvent);
    events.emit({ kind: 'engine-restarted', pid: 1 }); // before any run: not kept
    expect(journal.snapshot()).toEqual([]);
    events.emit(started({ runId: 'a' }));
    events.emit(batch({ batch: 0 }));
    events.emit({ kind: 'paused', epoch: 0, batch: 0 });
    expect(journal.snapshot().map((e) => e.kind)).toEqual(['train-started', 'batch', 'paused']);
    events.emit(started({ runId: 'b' }));
    expect(journal.snapshot()).toEqual([started({ runId: 'b' })]);
    journal.dispose();
    expect(events.count()).toBe(0);
  });

  it('thins old batch events past its budget, keeping epochs, the newest batch and the end', () => {
    const events = source();
    const journal = createRunJournal(events.onEvent, 100);
    events.emit(started({ epochs: 10, batchesPerEpoch: 100 }));
    for (let epoch = 0; epoch < 10; epoch++) {
      for (let b = 0; b < 100; b++) events.emit(batch({ epoch, batch: b, batchesPerEpoch: 100 }));
      events.emit({
        kind: 'epoch',
        epoch,
        epochs: 10,
        loss: 1,
        accuracy: 0.5,
        valLoss: null,
        valAccuracy: null,
        seconds: 1,
        samplesPerSecond: 1,
        numTensors: 0,
      });
    }
    const kept = journal.snapshot();
    const batches = kept.filter((e) => e.kind === 'batch');
    expect(batches.length).toBeLessThanOrEqual(100);
    expect(batches.length).toBeGreaterThan(25);
    expect(kept.filter((e) => e.kind === 'epoch')).toHaveLength(10);
    expect(batches.at(-1)).toMatchObject({ epoch: 9, batch: 99 });
    // Still in order.
    const steps = batches.map((e) => (e.kind === 'batch' ? e.epoch * 100 + e.batch : -1));
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
  });
});
