// Files dropped for classification are opened without blocking: a FIFO (or a device) among
// them becomes an error row instead of hanging a read thread of the engine forever.
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-node';
import { describe, expect, it } from 'vitest';
import { classifyFiles } from '../../src/engine/classify-files';
import { createModel, forward } from '../../src/engine/models';
import { TrainingConfigSchema } from '../../src/shared/training-config';
import { tempDir } from '../helpers/fixtures';

describe('classifyFiles', () => {
  it('refuses a FIFO without opening it for a blocking read', { timeout: 20_000 }, async () => {
    const dir = tempDir();
    const fifo = path.join(dir, 'pipe.png');
    execFileSync('mkfifo', [fifo]);
    const png = path.join(dir, 'digit.png');
    const image = tf.tidy(() =>
      tf.fill([28, 28, 1], 200, 'int32').pad([
        [4, 4],
        [4, 4],
        [0, 0],
      ]),
    );
    await fs.writeFile(png, await tf.node.encodePng(image as tf.Tensor3D));
    image.dispose();
    const model = createModel(TrainingConfigSchema.parse({}));
    try {
      // More FIFOs than libuv has threads: a blocking open of each would stall every read.
      const fifos = await Promise.all(
        [1, 2, 3, 4, 5].map(async (i) => {
          const f = path.join(dir, `pipe-${i}.png`);
          execFileSync('mkfifo', [f]);
          return f;
        }),
      );
      const rows = await classifyFiles((x) => forward(model, x), [fifo, ...fifos, png]);
      for (const row of rows.slice(0, 6))
        expect(row).toMatchObject({ error: 'not a regular file' });
      expect(rows[6]).toMatchObject({ path: png, error: null });
    } finally {
      model.dispose();
    }
  });
});
