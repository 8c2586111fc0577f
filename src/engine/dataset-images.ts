// Images of a loaded dataset by index, as bytes: what a gallery shows for the samples an
// evaluation listed. Straight from the decoded split (no tensors involved).
import type { DatasetImages } from '../shared/engine-protocol';
import { MNIST_PIXELS } from '../shared/mnist-shape';
import type { DatasetData } from './dataset-files';

export function datasetImages(
  data: DatasetData,
  which: 'train' | 'test',
  indices: readonly number[],
): DatasetImages {
  const split = data[which];
  const bad = indices.find((i) => i >= split.count);
  if (bad !== undefined) {
    throw new Error(
      `image ${bad} is not in the ${which} split of ${data.name} (${split.count} images)`,
    );
  }
  const pixels = new Uint8Array(indices.length * MNIST_PIXELS);
  const labels = new Int32Array(indices.length);
  indices.forEach((index, k) => {
    pixels.set(
      split.images.subarray(index * MNIST_PIXELS, (index + 1) * MNIST_PIXELS),
      k * MNIST_PIXELS,
    );
    labels[k] = split.labels[index] as number;
  });
  return { indices: Int32Array.from(indices), labels, pixels };
}
