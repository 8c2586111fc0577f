// The host's record of the current (or last) training run: every event since it started, so
// that the run's state lives outside any page. A page that connects late replays the journal
// through the same reducer as live events and shows the same charts, form and status, paused
// runs included. Batch events are thinned as the run grows (the charts decimate anyway), the
// newest always kept; everything else (epochs, pauses, the end) is kept whole.
import type { StudioEvent } from '../shared/studio-events';

/** Batch events kept at most; past this, every other older one is dropped. */
export const MAX_JOURNAL_BATCHES = 4000;

export interface RunJournal {
  /** The run's events in order, from its train-started (empty before the first run). */
  snapshot(): StudioEvent[];
  dispose(): void;
}

export function createRunJournal(
  onEvent: (listener: (event: StudioEvent) => void) => () => void,
  maxBatches = MAX_JOURNAL_BATCHES,
): RunJournal {
  let events: StudioEvent[] = [];
  let batches = 0;

  const thin = (): void => {
    // Keep the newest batch event; of the older ones, every other one.
    const lastBatch = events.findLastIndex((e) => e.kind === 'batch');
    let seen = 0;
    events = events.filter((event, i) => {
      if (event.kind !== 'batch' || i === lastBatch) return true;
      return seen++ % 2 === 0;
    });
    batches = events.filter((e) => e.kind === 'batch').length;
  };

  const record = (event: StudioEvent): void => {
    if (event.kind === 'train-started') {
      events = [event];
      batches = 0;
      return;
    }
    // Outside a run (an engine restart at start-up, say) there is nothing to attach to.
    if (events.length === 0) return;
    events.push(event);
    if (event.kind === 'batch' && ++batches > maxBatches) thin();
  };

  const unsubscribe = onEvent(record);
  return { snapshot: () => [...events], dispose: unsubscribe };
}
