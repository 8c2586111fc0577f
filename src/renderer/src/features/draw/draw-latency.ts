// Stroke → updated probabilities latency: from the event that ended a stroke to the moment the
// bars show a prediction of a drawing that includes it. Several strokes may be waiting when one
// prediction lands (a prediction was in flight as they ended); each gets its own figure.

export interface PendingStroke {
  /** Drawing version right after the stroke ended. */
  version: number;
  /** The ending event's timestamp (performance.now() clock). */
  at: number;
}

export class StrokeLatency {
  private waiting: PendingStroke[] = [];
  private count = 0;
  private last: number | null = null;

  strokeEnded(version: number, at: number): void {
    this.waiting.push({ version, at });
  }

  /** The drawing at `version` is now on screen; returns the latencies this resolved. */
  shown(version: number, now: number): number[] {
    const done = this.waiting.filter((s) => s.version <= version);
    if (done.length === 0) return [];
    this.waiting = this.waiting.filter((s) => s.version > version);
    const latencies = done.map((s) => Math.max(0, now - s.at));
    this.count += latencies.length;
    this.last = latencies[latencies.length - 1] ?? this.last;
    return latencies;
  }

  /** Strokes cleared or undone before their prediction showed have nothing left to measure. */
  forget(): void {
    this.waiting = [];
  }

  /** Strokes measured so far. */
  get measured(): number {
    return this.count;
  }

  /** The most recent latency, ms. */
  get lastMs(): number | null {
    return this.last;
  }
}

export { percentile } from '../../../../shared/stats';
