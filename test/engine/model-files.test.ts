// Export → import round trips, and every malformed model refused with a message that says why.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelDir, saveModelDir, saveModelFile } from '../../src/engine/model-files';
import { createModel } from '../../src/engine/models';
import { TrainingConfigSchema } from '../../src/shared/training-config';
import { tempDir } from '../helpers/fixtures';

const config = TrainingConfigSchema.parse({ seed: 11 });
const info = {
  preset: 'lenet5' as const,
  config,
  datasetFingerprint: 'sha256:test',
  testAccuracy: 0.5,
};
let model: tf.LayersModel;
let input: tf.Tensor4D;
let dir: string;

beforeAll(async () => {
  model = createModel(config);
  input = tf.randomUniform([8, 28, 28, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
  dir = path.join(tempDir(), 'model');
  await saveModelDir(model, dir, info);
});
afterAll(() => {
  model.dispose();
  input.dispose();
});

const predict = (m: tf.LayersModel) =>
  tf.tidy(() => (m.predict(input) as tf.Tensor).arraySync() as number[][]);

/** A copy of the exported folder with model.json edited. */
async function variant(edit: (json: Record<string, unknown>, dir: string) => Promise<void> | void) {
  const copy = path.join(tempDir(), 'model');
  await fs.cp(dir, copy, { recursive: true });
  const json = JSON.parse(await fs.readFile(path.join(copy, 'model.json'), 'utf8'));
  await edit(json, copy);
  await fs.writeFile(path.join(copy, 'model.json'), JSON.stringify(json));
  return copy;
}

describe('export and import', () => {
  it('round-trips a folder export with identical predictions and the studio metadata', async () => {
    expect((await fs.readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
    const loaded = await loadModelDir(dir);
    expect(predict(loaded.model)).toEqual(predict(model));
    expect(loaded.preset).toBe('lenet5');
    const meta = loaded.model.getUserDefinedMetadata() as { studio: Record<string, unknown> };
    expect(meta.studio).toMatchObject({
      preset: 'lenet5',
      datasetFingerprint: 'sha256:test',
      inputShape: [28, 28, 1],
    });
    expect(meta.studio.versions).toMatchObject({ tensorflow: expect.stringMatching(/^2\./) });
    loaded.model.dispose();
  });

  it("records the data's name and class names, and labels the outputs by them", async () => {
    const shapes = {
      name: 'shapes',
      fingerprint: 'sha256:test',
      kind: 'image-folder' as const,
      classNames: ['circle', 'square'],
    };
    const named = path.join(tempDir(), 'model');
    await saveModelDir(model, named, { ...info, dataset: shapes });
    const loaded = await loadModelDir(named);
    expect(loaded.dataset).toEqual({
      name: 'shapes',
      kind: 'image-folder',
      classNames: ['circle', 'square'],
    });
    const meta = loaded.model.getUserDefinedMetadata() as { studio: { labels: string[] } };
    expect(meta.studio.labels).toEqual([
      'circle',
      'square',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
    ]);
    loaded.model.dispose();
    // Without a dataset (a foreign model exported again): the digits, and nothing recorded.
    const plain = await loadModelDir(dir);
    expect(plain.dataset).toBeNull();
    plain.model.dispose();
  });

  it('ignores a recorded dataset that is not one (too many classes)', async () => {
    const copy = await variant((json) => {
      const studio = (json.userDefinedMetadata as { studio: Record<string, unknown> }).studio;
      studio.dataset = { name: 'x', classNames: Array.from({ length: 11 }, (_, k) => `c${k}`) };
    });
    const loaded = await loadModelDir(copy);
    expect(loaded.dataset).toBeNull();
    loaded.model.dispose();
  });

  it('round-trips the single-file variant', async () => {
    const file = path.join(tempDir(), 'lenet.json');
    await saveModelFile(model, file, info);
    const json = JSON.parse(await fs.readFile(file, 'utf8'));
    expect(json.weightsManifest[0].paths).toEqual([]);
    expect(typeof json.weightData).toBe('string');
    const loaded = await loadModelDir(file);
    expect(predict(loaded.model)).toEqual(predict(model));
    loaded.model.dispose();
    await expect(saveModelFile(model, file, info)).rejects.toThrow(/already exists/);
  });

  it('never overwrites a non-empty folder', async () => {
    await expect(saveModelDir(model, dir, info)).rejects.toThrow(/is not empty/);
  });
});

describe('import refuses malformed models', () => {
  const cases: Array<
    [string, (j: Record<string, unknown>, d: string) => Promise<void> | void, RegExp]
  > = [
    ['invalid JSON', () => undefined, /is not valid JSON/], // model.json is truncated below
    ['missing manifest', (j) => void delete j.weightsManifest, /weightsManifest/],
    [
      'missing shard',
      async (_j, d) => fs.rm(path.join(d, 'weights.bin')),
      /weight shard weights\.bin is missing/,
    ],
    [
      'wrong shard length',
      async (_j, d) => fs.appendFile(path.join(d, 'weights.bin'), Buffer.alloc(12)),
      /shards hold 246836 bytes, the manifest declares 246824/,
    ],
    [
      'NaN weights',
      async (_j, d) => {
        const bytes = await fs.readFile(path.join(d, 'weights.bin'));
        bytes.writeFloatLE(NaN, 40);
        await fs.writeFile(path.join(d, 'weights.bin'), bytes);
      },
      /weight c1\/kernel has a non-finite value \(NaN\) at index 10/,
    ],
    [
      'wrong input shape',
      (j) => {
        const layers = (
          j.modelTopology as { config: { layers: Array<{ config: Record<string, unknown> }> } }
        ).config.layers;
        layers[0]!.config.batch_input_shape = [null, 32, 32, 1];
      },
      /cannot be built|takes \[.*32,32,1\]/,
    ],
    [
      'a weight with the wrong declared shape',
      (j) => {
        const m = j.weightsManifest as Array<{ weights: Array<{ shape: number[] }> }>;
        m[0]!.weights[0]!.shape = [5, 5, 1, 7];
      },
      /declares|cannot be built/,
    ],
    ['a graph model', (j) => void (j.format = 'graph-model'), /format must be "layers-model"/],
  ];

  it.each(cases)('%s', async (name, edit, message) => {
    const copy = await variant(edit);
    if (name === 'invalid JSON')
      await fs.writeFile(path.join(copy, 'model.json'), '{"format": "layers-model", ');
    const before = tf.memory().numTensors;
    await expect(loadModelDir(copy)).rejects.toThrow(message);
    expect(tf.memory().numTensors).toBe(before); // nothing half-loaded stays
  });

  it('names a folder without model.json', async () => {
    await expect(loadModelDir(tempDir())).rejects.toThrow(/model\.json does not exist/);
  });
});
