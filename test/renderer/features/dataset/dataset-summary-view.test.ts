// The Dataset view's pure logic: the form's request and messages, sample indices, class rows.
import { describe, expect, it } from 'vitest';
import type { DatasetSummary } from '../../../../src/shared/engine-protocol';
import {
  classRows,
  datasetSummaryRequest,
  sampleIndices,
} from '../../../../src/renderer/src/features/dataset/dataset-summary-view';

const summary: DatasetSummary = {
  name: 'shapes',
  dir: '/data/shapes',
  format: 'image-folder',
  fingerprint: 'sha256:x',
  totals: { train: 4, test: 2 },
  classes: [
    {
      label: 0,
      name: 'circle',
      counts: { train: 3, test: 1 },
      samples: { train: [0, 2], test: [1] },
    },
    { label: 1, name: 'square', counts: { train: 1, test: 1 }, samples: { train: [1], test: [0] } },
  ],
  broken: [],
  emptyClasses: [],
};

describe('datasetSummaryRequest', () => {
  it('asks for the bundled MNIST, or a folder given as a full path', () => {
    expect(datasetSummaryRequest({ source: 'bundled', folder: 'ignored' }).request).toEqual({
      perClass: 8,
    });
    expect(datasetSummaryRequest({ source: 'folder', folder: ' /data/x ' }).request).toEqual({
      dataset: { kind: 'folder', path: '/data/x' },
      perClass: 8,
    });
    expect(datasetSummaryRequest({ source: 'folder', folder: '' }).error).toMatch(/Enter/);
    expect(datasetSummaryRequest({ source: 'folder', folder: 'data/x' }).error).toMatch(
      /full path/,
    );
  });
});

describe('classRows', () => {
  it('lists the split’s indices class after class and pairs them with their pixels', () => {
    expect(sampleIndices(summary, 'train')).toEqual([0, 2, 1]);
    const pixels = new Uint8Array(3 * 784);
    pixels.fill(200, 784, 2 * 784); // image at position 1 (train index 2) is grey 200
    const rows = classRows(summary, 'train', {
      indices: Int32Array.from([0, 2, 1]),
      labels: Int32Array.from([0, 0, 1]),
      pixels,
    });
    expect(rows.map((r) => [r.name, r.train, r.test, r.share])).toEqual([
      ['circle', 3, 1, 0.75],
      ['square', 1, 1, 0.25],
    ]);
    expect(rows[0]!.samples.map((s) => [s.index, s.image.rgba[0]])).toEqual([
      [0, 0],
      [2, 200],
    ]);
  });

  it('has rows without thumbnails while the images are on their way', () => {
    expect(classRows(summary, 'test', null).map((r) => r.samples.length)).toEqual([0, 0]);
  });
});
