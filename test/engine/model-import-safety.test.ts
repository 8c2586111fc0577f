// A bad import must neither cost the current model nor read what it should not: failed loads
// free only what they made; errors name the file and the fault, not its bytes; weight shards
// are confined to the model's folder, regular files only, sized before they are read.
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-node';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadModelDir, MAX_MODEL_JSON_BYTES, saveModelDir } from '../../src/engine/model-files';
import { createModel } from '../../src/engine/models';
import type { EngineHost } from '../../src/host/engine-host';
import { createNodeEngineHost } from '../../src/host/engine-host-node';
import { TrainingConfigSchema } from '../../src/shared/training-config';
import { mnistSubset, tempDir, writeDatasetFolder } from '../helpers/fixtures';

const config = TrainingConfigSchema.parse({ seed: 5 });
const info = { preset: 'lenet5' as const, config, datasetFingerprint: null, testAccuracy: null };
let good: string;
let dataDir: string;
const hosts: EngineHost[] = [];

beforeAll(async () => {
  const model = createModel(config);
  good = path.join(tempDir(), 'good');
  await saveModelDir(model, good, info);
  model.dispose();
  dataDir = writeDatasetFolder(mnistSubset(64, 128));
});
afterEach(() => {
  for (const h of hosts.splice(0)) h.dispose();
});

type Json = Record<string, unknown> & {
  modelTopology: {
    config: { layers: Array<{ class_name: string; config: Record<string, unknown> }> };
  };
  weightsManifest: Array<{ paths: string[]; weights: Array<{ name: string; shape: number[] }> }>;
};

/** A copy of the good export with model.json edited (and the folder, if `edit` wants). */
async function variant(edit: (json: Json, dir: string) => Promise<void> | void): Promise<string> {
  const copy = path.join(tempDir(), 'model');
  await fs.cp(good, copy, { recursive: true });
  const json = JSON.parse(await fs.readFile(path.join(copy, 'model.json'), 'utf8')) as Json;
  await edit(json, copy);
  await fs.writeFile(path.join(copy, 'model.json'), JSON.stringify(json));
  return copy;
}

const BAD_IMPORTS: Array<[string, (json: Json) => void, RegExp]> = [
  [
    'an unknown layer class (after layers that made variables)',
    (j) => void (j.modelTopology.config.layers.at(-1)!.class_name = 'NoSuchLayer'),
    /cannot be built/,
  ],
  [
    'a renamed weight',
    (j) => void (j.weightsManifest[0]!.weights[2]!.name = 'c3/renamed'),
    /cannot be built/,
  ],
  [
    'a weight of the wrong shape (same byte count)',
    (j) => void (j.weightsManifest[0]!.weights[0]!.shape = [6, 5, 5, 1]),
    /cannot be built/,
  ],
];

describe('a failed import keeps the current model', () => {
  it('predicts, evaluates and exports as before, with no tensor left behind', async () => {
    const host = createNodeEngineHost({ restart: false, onProtocolError: () => undefined });
    hosts.push(host);
    await host.request({ type: 'load-model', dir: good });
    const inputs = [new Array(784).fill(0), new Array(784).fill(0.5)];
    const predictions = await host.request({ type: 'predict', inputs });
    const dataset = { kind: 'folder', path: dataDir } as const;
    const evaluation = await host.request({ type: 'evaluate', dataset, testLimit: 128 });
    const info = await host.request({ type: 'info' });
    for (const [name, edit, message] of BAD_IMPORTS) {
      const bad = await variant(edit);
      await expect(host.request({ type: 'load-model', dir: bad }), name).rejects.toThrow(message);
      expect(await host.request({ type: 'predict', inputs }), name).toEqual(predictions);
      expect(await host.request({ type: 'evaluate', dataset, testLimit: 128 })).toEqual(evaluation);
      const after = await host.request({ type: 'info' });
      expect(after.model, name).toEqual(info.model);
      expect(after.memory.numTensors, name).toBe(info.memory.numTensors);
    }
    const out = path.join(tempDir(), 'export');
    await host.request({ type: 'save-model', dir: out, singleFile: false });
    const reloaded = await host.request({ type: 'load-model', dir: out });
    expect(reloaded.params).toBe(61_706);
    expect(await host.request({ type: 'predict', inputs })).toEqual(predictions);
  });

  it('a run whose checkpoint fails to load (open or resume) leaves it too', async () => {
    const runsDir = tempDir();
    const host = createNodeEngineHost({
      runsDir,
      restart: false,
      onProtocolError: () => undefined,
    });
    hosts.push(host);
    const dataset = { kind: 'folder', path: dataDir } as const;
    const { runId } = await host.request({
      type: 'train',
      config: { dataset, epochs: 1, validationSplit: 0, batchSize: 32 },
    });
    // Break the run's checkpoint: a weight renamed in its model.json.
    const checkpointJson = path.join(runsDir, runId!, 'checkpoint', 'model.json');
    const json = JSON.parse(await fs.readFile(checkpointJson, 'utf8')) as Json;
    json.weightsManifest[0]!.weights[0]!.name = 'c1/renamed';
    await fs.writeFile(checkpointJson, JSON.stringify(json));
    const runJson = path.join(runsDir, runId!, 'run.json');
    const record = JSON.parse(await fs.readFile(runJson, 'utf8')) as Record<string, unknown>;
    await fs.writeFile(runJson, JSON.stringify({ ...record, status: 'stopped' }));

    await host.request({ type: 'load-model', dir: good });
    const inputs = [new Array(784).fill(0.25)];
    const predictions = await host.request({ type: 'predict', inputs });
    const info = await host.request({ type: 'info' });
    await expect(host.request({ type: 'load-run', runId: runId! })).rejects.toThrow(
      /cannot be built/,
    );
    await expect(host.request({ type: 'resume-run', runId: runId! })).rejects.toThrow(
      /cannot be built/,
    );
    expect(await host.request({ type: 'predict', inputs })).toEqual(predictions);
    const after = await host.request({ type: 'info' });
    expect(after.model).toEqual(info.model);
    expect(after.memory.numTensors).toBe(info.memory.numTensors);
  });

  it('in process too: the variables of a model loaded earlier survive', async () => {
    const first = await loadModelDir(good);
    const x = tf.ones([1, 28, 28, 1]);
    const before = tf.tidy(() => (first.model.predict(x) as tf.Tensor).arraySync());
    const tensors = tf.memory().numTensors;
    for (const [name, edit] of BAD_IMPORTS)
      await expect(loadModelDir(await variant(edit)), name).rejects.toThrow();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.tidy(() => (first.model.predict(x) as tf.Tensor).arraySync())).toEqual(before);
    first.model.dispose();
    x.dispose();
  });
});

describe('import errors never quote the file', () => {
  it('a model file of passwd-like text is named, its bytes are not', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'model.json');
    await fs.writeFile(file, 'root:*:20231:0:99999:7:::\ndaemon:*:20231:0:99999:7:::\n');
    const error = await loadModelDir(file).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(/not valid JSON .*line 1, column 1/);
    expect((error as Error).message).not.toMatch(/root|daemon|20231/);
  });

  it('a schema failure names the field, not the value', async () => {
    const bad = await variant((j) => {
      (j as Record<string, unknown>).format = 'secret-token-1234';
      j.weightsManifest[0]!.weights[0]!.name = '';
    });
    const message = await loadModelDir(bad).then(
      () => '',
      (e: Error) => e.message,
    );
    expect(message).toMatch(/format/);
    expect(message).not.toMatch(/secret-token-1234/);
  });
});

describe('weight shards', () => {
  const refuses = async (dir: string, message: RegExp) => {
    const before = tf.memory().numTensors;
    await expect(loadModelDir(dir)).rejects.toThrow(message);
    expect(tf.memory().numTensors).toBe(before);
  };

  it('refuses an absolute shard path', async () => {
    const dir = await variant((j, d) => {
      j.weightsManifest[0]!.paths = [path.join(d, 'weights.bin')];
    });
    await refuses(dir, /weight shard path .* is not relative/);
  });

  it('refuses Windows-style absolute and UNC paths', async () => {
    for (const p of ['C:\\weights.bin', '\\\\server\\share\\weights.bin', 'C:weights.bin']) {
      await refuses(
        await variant((j) => void (j.weightsManifest[0]!.paths = [p])),
        /is not relative/,
      );
    }
  });

  it('refuses a path through ..', async () => {
    const dir = await variant(async (j, d) => {
      await fs.copyFile(path.join(d, 'weights.bin'), path.join(d, '..', 'w.bin'));
      j.weightsManifest[0]!.paths = ['../w.bin'];
    });
    await refuses(dir, /points outside the model folder/);
  });

  it('refuses a symlink that leaves the folder', async () => {
    const outside = path.join(tempDir(), 'weights.bin');
    await fs.copyFile(path.join(good, 'weights.bin'), outside);
    const dir = await variant(async (_j, d) => {
      await fs.rm(path.join(d, 'weights.bin'));
      await fs.symlink(outside, path.join(d, 'weights.bin'));
    });
    await refuses(dir, /points outside the model folder/);
  });

  it('refuses a FIFO without blocking on it', async () => {
    const dir = await variant(async (_j, d) => {
      await fs.rm(path.join(d, 'weights.bin'));
      execFileSync('mkfifo', [path.join(d, 'weights.bin')]);
    });
    // Opening a FIFO for reading with no writer blocks forever: answering proves it was not opened.
    await refuses(dir, /weights\.bin is not a regular file/);
  });

  it('refuses one shard listed many times, on size, before reading it', async () => {
    const dir = await variant(async (j, d) => {
      // A 20 MB shard listed 25 times, with a manifest declaring the 500 MB they would add up to.
      await fs.truncate(path.join(d, 'weights.bin'), 20 * 1024 * 1024);
      j.weightsManifest[0]!.paths = Array.from({ length: 25 }, () => 'weights.bin');
    });
    await refuses(dir, /weights\.bin is listed more than once/);
    const spread = await variant(async (j, d) => {
      await fs.truncate(path.join(d, 'weights.bin'), 20 * 1024 * 1024);
      // The same file under two names: a link inside the folder.
      await fs.symlink('weights.bin', path.join(d, 'again.bin'));
      j.weightsManifest[0]!.paths = ['weights.bin', 'again.bin'];
    });
    await refuses(spread, /listed more than once/);
  });

  it('refuses shards whose sizes do not add up, naming the totals, before reading', async () => {
    const dir = await variant(async (_j, d) => {
      await fs.truncate(path.join(d, 'weights.bin'), 20 * 1024 * 1024);
    });
    await refuses(dir, /weight shards hold 20971520 bytes, the manifest declares 246824/);
  });

  it('refuses a model.json over the size cap without reading it', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'model.json');
    await fs.writeFile(file, '');
    await fs.truncate(file, MAX_MODEL_JSON_BYTES + 1);
    await refuses(dir, /model\.json is .* bytes, over the .* limit/);
  });

  it('refuses a model.json that is a FIFO', async () => {
    const dir = tempDir();
    execFileSync('mkfifo', [path.join(dir, 'model.json')]);
    await refuses(dir, /model\.json is not a regular file/);
  });
});
