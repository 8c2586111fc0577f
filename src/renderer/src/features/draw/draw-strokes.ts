// The drawing as a list of strokes, kept as points rather than pixels so that Undo can drop the
// last stroke and the pad can repaint the rest at any size. Every change bumps `version`, which
// the live prediction uses to tell whether what it showed is still what is on the pad.

/** The pad's own coordinate system: strokes and widths are in these units at any screen size. */
export const PAD_UNITS = 280;
/** Side of the raster the drawing is preprocessed from (half the pad units). */
export const MODEL_RASTER = 140;

export interface PadPoint {
  x: number;
  y: number;
}

export interface Stroke {
  /** Line width in pad units, fixed when the stroke starts (changing the slider mid-way doesn't). */
  width: number;
  points: PadPoint[];
}

export class StrokeHistory {
  private readonly strokes: Stroke[] = [];
  private drawing = false;
  private changes = 0;

  /** Increases on every change (new point, undo, clear). */
  get version(): number {
    return this.changes;
  }

  get isEmpty(): boolean {
    return this.strokes.length === 0;
  }

  get canUndo(): boolean {
    return this.strokes.length > 0;
  }

  /** True between begin() and end(). */
  get isDrawing(): boolean {
    return this.drawing;
  }

  get all(): readonly Stroke[] {
    return this.strokes;
  }

  begin(point: PadPoint, width: number): Stroke {
    const stroke: Stroke = { width, points: [point] };
    this.strokes.push(stroke);
    this.drawing = true;
    this.changes++;
    return stroke;
  }

  /** Adds points to the stroke being drawn; returns the point they continue from. */
  extend(points: readonly PadPoint[]): PadPoint | null {
    const stroke = this.strokes[this.strokes.length - 1];
    if (!this.drawing || !stroke || points.length === 0) return null;
    const from = stroke.points[stroke.points.length - 1] ?? null;
    stroke.points.push(...points);
    this.changes++;
    return from;
  }

  end(): void {
    this.drawing = false;
  }

  /** Removes the last stroke (the one being drawn, if any). */
  undo(): boolean {
    if (this.strokes.length === 0) return false;
    this.strokes.pop();
    this.drawing = false;
    this.changes++;
    return true;
  }

  clear(): void {
    if (this.strokes.length === 0 && !this.drawing) return;
    this.strokes.length = 0;
    this.drawing = false;
    this.changes++;
  }
}

/** What the pad reports after every change. */
export interface PadChange {
  version: number;
  empty: boolean;
  canUndo: boolean;
  /** Timestamp of the event that ended a stroke (performance.now() clock), else null. */
  strokeEndedAt: number | null;
}
