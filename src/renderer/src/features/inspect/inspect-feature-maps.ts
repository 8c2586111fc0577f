// Turns an activations answer (src/shared/engine-protocol.ts, FeatureMaps) into what the
// feature-maps panel draws: grey-scale RGBA images for image layers and filters, bars for
// vector layers. Pure: no DOM, so the panel's tests run under Node.
import { className } from '../../../../shared/dataset-identity';
import type { FeatureMaps } from '../../../../shared/engine-protocol';
import type { GreyImage } from '../../ui/grey-image';

export type { GreyImage };

type LayerMaps = FeatureMaps['layers'][number];
type LayerFilters = FeatureMaps['filters'][number];

/** A convolution or pooling layer's output: one image per map. */
export interface ImageLayerView {
  name: string;
  kind: string;
  /** "28 × 28 × 6" */
  shape: string;
  maps: GreyImage[];
}

/** A dense (vector) layer: one bar per unit, heights in [0, 1] of the layer's largest |value|. */
export interface VectorLayerView {
  name: string;
  kind: string;
  shape: string;
  values: number[];
  bars: number[];
}

/** A layer's filters: `rows[o][i]` is output map o's kernel over input map i. */
export interface FilterView {
  layer: string;
  kernelSize: number;
  inputs: number;
  outputs: number;
  rows: GreyImage[][];
}

export interface FeatureMapsView {
  images: ImageLayerView[];
  vectors: VectorLayerView[];
  filters: FilterView[];
}

export function shapeLabel(shape: readonly number[]): string {
  return shape.join(' × ');
}

/** Writes grey level g ∈ [0, 255] for pixel p. */
function put(rgba: Uint8ClampedArray, p: number, g: number): void {
  rgba[p * 4] = g;
  rgba[p * 4 + 1] = g;
  rgba[p * 4 + 2] = g;
  rgba[p * 4 + 3] = 255;
}

/**
 * Map m of an [h, w, maps] activation (maps last: (r, c, m) at (r·w + c)·maps + m), normalised
 * on its own: its minimum is black, its maximum white. Per map, because maps of one layer differ
 * in range by orders of magnitude and one shared scale leaves most of them black. A constant map
 * (a ReLU that never fired) is black.
 */
export function mapImage(
  values: ArrayLike<number>,
  height: number,
  width: number,
  maps: number,
  m: number,
): GreyImage {
  const pixels = height * width;
  let lo = Infinity;
  let hi = -Infinity;
  for (let p = 0; p < pixels; p++) {
    const v = values[p * maps + m] as number;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo;
  const rgba = new Uint8ClampedArray(pixels * 4);
  for (let p = 0; p < pixels; p++) {
    const v = values[p * maps + m] as number;
    put(rgba, p, span > 0 && Number.isFinite(span) ? Math.round(((v - lo) / span) * 255) : 0);
  }
  return { width, height, rgba };
}

/**
 * Kernel (o, i) of a [output][input][k][k] filter block, on the layer's symmetric scale: grey is
 * zero, white the layer's largest positive weight, black its most negative. One scale for the
 * whole layer so strong and weak filters can be told apart, and a weight's sign stays visible.
 */
export function kernelImage(
  values: ArrayLike<number>,
  k: number,
  offset: number,
  scale: number,
): GreyImage {
  const rgba = new Uint8ClampedArray(k * k * 4);
  for (let p = 0; p < k * k; p++) {
    const v = values[offset + p] as number;
    const unit = scale > 0 ? Math.max(-1, Math.min(1, v / scale)) : 0;
    put(rgba, p, Math.round(127.5 + unit * 127.5));
  }
  return { width: k, height: k, rgba };
}

function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i] as number);
    if (a > m && Number.isFinite(a)) m = a;
  }
  return m;
}

export function imageLayerView(layer: LayerMaps): ImageLayerView {
  const [height, width, maps] = layer.shape as [number, number, number];
  return {
    name: layer.name,
    kind: layer.kind,
    shape: shapeLabel(layer.shape),
    maps: Array.from({ length: maps }, (_, m) => mapImage(layer.values, height, width, maps, m)),
  };
}

export function vectorLayerView(layer: LayerMaps): VectorLayerView {
  const scale = maxAbs(layer.values);
  const values = Array.from(layer.values);
  return {
    name: layer.name,
    kind: layer.kind,
    shape: shapeLabel(layer.shape),
    values,
    bars: values.map((v) => (scale > 0 ? Math.min(1, Math.abs(v) / scale) : 0)),
  };
}

export function filterView(filters: LayerFilters): FilterView {
  const { kernelSize: k, inputs, outputs, values } = filters;
  const scale = maxAbs(values);
  const rows = Array.from({ length: outputs }, (_, o) =>
    Array.from({ length: inputs }, (_, i) =>
      kernelImage(values, k, (o * inputs + i) * k * k, scale),
    ),
  );
  return { layer: filters.layer, kernelSize: k, inputs, outputs, rows };
}

/** Flatten only re-reads the pooled maps shown above it: drawing it again as bars says nothing. */
function isFlatten(layer: LayerMaps): boolean {
  return /flatten/i.test(layer.kind);
}

/** Image layers (rank 3: conv, pool) as maps; vector layers (dense, output) as bars. */
export function featureMapsView(result: FeatureMaps): FeatureMapsView {
  const images: ImageLayerView[] = [];
  const vectors: VectorLayerView[] = [];
  for (const layer of result.layers) {
    if (layer.shape.length === 3) images.push(imageLayerView(layer));
    else if (layer.shape.length === 1 && !isFlatten(layer)) vectors.push(vectorLayerView(layer));
  }
  return { images, vectors, filters: result.filters.map(filterView) };
}

/** Vector layers of at most this many units get a word under each bar. */
export const LABELLED_UNITS = 10;

/**
 * The words under the bars of `vectors[index]`: for the network's output (the last vector
 * layer) the model's class names, so a Fashion-MNIST model's bars read T-shirt/top, Trouser…;
 * for another narrow layer its unit numbers; null for a layer too wide to label.
 */
export function barLabels(
  vectors: readonly VectorLayerView[],
  index: number,
  classNames: readonly string[],
): string[] | null {
  const layer = vectors[index];
  if (!layer || layer.bars.length > LABELLED_UNITS) return null;
  const output = index === vectors.length - 1;
  return layer.bars.map((_, u) => (output ? className(classNames, u) : String(u)));
}
