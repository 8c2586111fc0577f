// The panel's drawing logic: per-map normalisation of maps-last activations, the symmetric
// kernel scale, bars, and which layers become images or bars.
import { describe, expect, it } from 'vitest';
import {
  barLabels,
  featureMapsView,
  filterView,
  kernelImage,
  mapImage,
} from '../../../../src/renderer/src/features/inspect/inspect-feature-maps';
import { DIGIT_CLASS_NAMES, FASHION_CLASS_NAMES } from '../../../../src/shared/dataset-identity';

const grey = (rgba: Uint8ClampedArray): number[] =>
  Array.from({ length: rgba.length / 4 }, (_, p) => rgba[p * 4]!);

describe('mapImage', () => {
  it('reads map m from maps-last values and stretches it to black..white on its own', () => {
    // 2×2 image, 2 maps: map 0 = [0, 1, 2, 3], map 1 = [100, 100, 100, 300].
    const values = Float32Array.from([0, 100, 1, 100, 2, 100, 3, 300]);
    const m0 = mapImage(values, 2, 2, 2, 0);
    expect([m0.width, m0.height]).toEqual([2, 2]);
    expect(grey(m0.rgba)).toEqual([0, 85, 170, 255]);
    expect(grey(mapImage(values, 2, 2, 2, 1).rgba)).toEqual([0, 0, 0, 255]);
    // Opaque grey: R = G = B, alpha 255.
    expect(Array.from(m0.rgba.slice(4, 8))).toEqual([85, 85, 85, 255]);
  });

  it('draws a constant map (a unit that never fired) black', () => {
    expect(grey(mapImage(new Float32Array(4), 2, 2, 1, 0).rgba)).toEqual([0, 0, 0, 0]);
  });
});

describe('kernelImage and filterView', () => {
  it('puts zero at mid grey on one symmetric scale for the whole layer', () => {
    expect(grey(kernelImage([-2, 0, 1, 2], 2, 0, 2).rgba)).toEqual([0, 128, 191, 255]);
  });

  it('lays kernels out [output][input] from [output][input][row][col] values', () => {
    // 2 outputs × 3 inputs of 1×1 kernels: value = 10·o + i.
    const values = Float32Array.from([0, 1, 2, 10, 11, 12]);
    const view = filterView({ layer: 'C3', kernelSize: 1, inputs: 3, outputs: 2, values });
    expect(view.rows).toHaveLength(2);
    expect(view.rows.map((row) => row.map((k) => k.rgba[0]))).toEqual([
      [128, 138, 149],
      [234, 244, 255],
    ]);
  });
});

describe('featureMapsView', () => {
  it('shows rank-3 layers as maps and vector layers as bars, but not flatten', () => {
    const view = featureMapsView({
      layers: [
        { name: 'C1', kind: 'conv', shape: [2, 2, 3], values: new Float32Array(12) },
        { name: 'F', kind: 'flatten', shape: [12], values: new Float32Array(12) },
        { name: 'OUTPUT', kind: 'dense', shape: [3], values: Float32Array.from([0.5, -1, 0]) },
      ],
      filters: [],
      milliseconds: 1,
    });
    expect(view.images.map((l) => [l.name, l.shape, l.maps.length])).toEqual([
      ['C1', '2 × 2 × 3', 3],
    ]);
    expect(view.vectors.map((l) => l.name)).toEqual(['OUTPUT']);
    expect(view.vectors[0]!.bars).toEqual([0.5, 1, 0]);
  });
});

describe('barLabels', () => {
  const vectors = featureMapsView({
    layers: [
      { name: 'F5', kind: 'dense', shape: [120], values: new Float32Array(120) },
      { name: 'TINY', kind: 'dense', shape: [4], values: new Float32Array(4) },
      { name: 'OUTPUT', kind: 'dense', shape: [10], values: new Float32Array(10) },
    ],
    filters: [],
    milliseconds: 1,
  }).vectors;

  it("names the output's bars as the model names its classes", () => {
    expect(barLabels(vectors, 2, FASHION_CLASS_NAMES)).toEqual([...FASHION_CLASS_NAMES]);
    expect(barLabels(vectors, 2, DIGIT_CLASS_NAMES)).toEqual([...DIGIT_CLASS_NAMES]);
    // An image folder of three classes: the outputs past them keep their numbers.
    expect(barLabels(vectors, 2, ['circle', 'square', 'triangle'])?.slice(0, 4)).toEqual([
      'circle',
      'square',
      'triangle',
      '3',
    ]);
  });

  it('numbers the units of another narrow layer, and leaves a wide one unlabelled', () => {
    expect(barLabels(vectors, 1, FASHION_CLASS_NAMES)).toEqual(['0', '1', '2', '3']);
    expect(barLabels(vectors, 0, FASHION_CLASS_NAMES)).toBeNull();
  });
});
