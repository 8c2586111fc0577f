// An image-folder dataset for tests: PNGs of real MNIST training digits, one folder per class.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-node';
import { mnistSubset } from './fixtures';

const SOURCE = 3000;

/** PNGs of the first `perClass` training digits of each class in `<dir>/<class>/`. */
export async function writeImageFolder(dir: string, perClass: number, classes = 10): Promise<void> {
  const digits = mnistSubset(SOURCE, 0);
  const written = new Array<number>(10).fill(0);
  for (let i = 0; i < SOURCE && written.some((n, k) => k < classes && n < perClass); i++) {
    const label = digits.trainLabels[i]!;
    if (label >= classes || written[label]! >= perClass) continue;
    mkdirSync(path.join(dir, String(label)), { recursive: true });
    const png = await tf.node.encodePng(
      tf.tidy(() =>
        tf.tensor3d(digits.trainImages.subarray(i * 784, (i + 1) * 784), [28, 28, 1], 'int32'),
      ) as tf.Tensor3D,
    );
    writeFileSync(path.join(dir, String(label), `digit-${i}.png`), png);
    written[label]! += 1;
  }
}
