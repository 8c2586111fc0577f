// The CLI as a user runs it: a real process, real engine, real files.
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { mnistSubset, tempDir, writeDatasetFolder } from '../helpers/fixtures';
import { writeImageFolder } from '../helpers/image-folder';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');

async function cli(...args: string[]) {
  try {
    const { stdout, stderr } = await run(tsx, ['src/cli/index.ts', ...args], {
      cwd: root,
      maxBuffer: 1 << 24,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1) as string);

let dataDir: string;
let modelDir: string;
let runsDir: string;
let runId: string;
beforeAll(async () => {
  dataDir = writeDatasetFolder(mnistSubset(3000, 300));
  modelDir = path.join(tempDir(), 'model');
  runsDir = tempDir('lenet-runs-');
  const r = await cli(
    'train',
    '--data',
    dataDir,
    '--epochs',
    '2',
    '--out',
    modelDir,
    '--runs-dir',
    runsDir,
    '--json',
  );
  expect(r.code, r.stderr).toBe(0);
  runId = lastJson(r.stdout).runId;
}, 180_000);

describe('cli', () => {
  it('train --json saves a TensorFlow.js Layers model and reports its results', async () => {
    expect(readdir(modelDir)).toEqual(['model.json', 'weights.bin']);
    const modelJson = JSON.parse(readFileSync(path.join(modelDir, 'model.json'), 'utf8'));
    expect(modelJson.format).toBe('layers-model');
    expect(modelJson.userDefinedMetadata.studio.preset).toBe('lenet5');
    const loaded = await tf.loadLayersModel(`file://${modelDir}/model.json`);
    expect(loaded.countParams()).toBe(61_706);
  });

  it('train rejects a bad option naming the flag', async () => {
    const r = await cli('train', '--batch', '0', '--json');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--batch: .*>=\s*1/);
    const r2 = await cli('train', '--epochs', 'ten');
    expect(r2.stderr).toMatch(/--epochs: "ten" is not a number/);
  });

  it('train --data accepts an image folder (one subfolder per class)', async () => {
    const images = tempDir('lenet-cli-images-');
    await writeImageFolder(images, 30);
    writeFileSync(path.join(images, '5', 'broken.gif'), 'GIF89a but nothing else');
    const r = await cli(
      'train',
      '--data',
      images,
      '--epochs',
      '1',
      '--runs-dir',
      tempDir('lenet-runs-'),
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(lastJson(r.stdout).testAccuracy).toBeGreaterThan(0);
    expect(r.stderr).toContain('broken.gif');
  });

  it('train refuses to overwrite an existing model folder', async () => {
    const r = await cli(
      'train',
      '--data',
      dataDir,
      '--epochs',
      '1',
      '--train-limit',
      '200',
      '--out',
      modelDir,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is not empty/);
  });

  it('evaluate --json reports test accuracy and loss', async () => {
    const r = await cli('evaluate', '--model', modelDir, '--data', dataDir, '--json');
    expect(r.code, r.stderr).toBe(0);
    const json = lastJson(r.stdout);
    expect(json.testAccuracy).toBeGreaterThan(0.85);
    expect(json.testLoss).toBeGreaterThan(0);
    expect(json.samples).toBe(300);
    // Rows = true class; the counts add up to the samples and their diagonal to the accuracy.
    expect(json.confusion).toHaveLength(10);
    const counts = (json.confusion as number[][]).flat();
    expect(counts.reduce((a, b) => a + b, 0)).toBe(300);
    const diagonal = (json.confusion as number[][]).reduce((s, row, k) => s + row[k]!, 0);
    expect(diagonal / 300).toBeCloseTo(json.testAccuracy, 12);
    const labels = mnistSubset(0, 300).testLabels;
    (json.confusion as number[][]).forEach((row, k) =>
      expect(row.reduce((a, b) => a + b, 0)).toBe(labels.filter((l) => l === k).length),
    );
    expect(json.perClass).toHaveLength(10);
    for (const [k, c] of (json.perClass as Array<Record<string, number>>).entries()) {
      expect(Object.keys(c).sort()).toEqual(['f1', 'precision', 'recall', 'support']);
      expect(c.support).toBe(labels.filter((l) => l === k).length);
      expect(c.recall).toBeCloseTo(json.confusion[k][k] / c.support!, 12);
    }
  });

  it('evaluate --misclassified writes the wrong predictions with their probabilities', async () => {
    const dir = tempDir('lenet-wrong-');
    const csv = path.join(dir, 'wrong.csv');
    const r = await cli(
      'evaluate',
      '--model',
      modelDir,
      '--data',
      dataDir,
      '--misclassified',
      csv,
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const json = lastJson(r.stdout);
    const rows = readFileSync(csv, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('index,label,predicted,confidence,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9');
    const wrong = Math.round(300 * (1 - json.testAccuracy));
    expect(wrong).toBeGreaterThan(0);
    expect(rows).toHaveLength(wrong + 1);
    const labels = mnistSubset(0, 300).testLabels;
    for (const row of rows.slice(1)) {
      const [index, label, predicted, confidence, ...p] = row.split(',').map(Number);
      expect(label).toBe(labels[index!]);
      expect(predicted).not.toBe(label);
      expect(p).toHaveLength(10);
      expect(confidence).toBe(Math.max(...p));
      expect(p[predicted!]).toBe(confidence);
    }
    // Written atomically: nothing but the CSV in its folder.
    expect(readdir(dir)).toEqual(['wrong.csv']);
  });

  it('predict classifies a folder of PNGs, refuses bad files and writes the CSV', async () => {
    const dir = tempDir('lenet-png-');
    const digits = mnistSubset(0, 12);
    mkdirSync(path.join(dir, 'nested'));
    for (let i = 0; i < 12; i++) {
      // Dark ink on light paper, off-centre on a larger canvas: the preprocessing must cope.
      const png = await tf.node.encodePng(
        tf.tidy(() =>
          tf
            .scalar(255)
            .sub(
              tf.tensor3d(digits.testImages.subarray(i * 784, (i + 1) * 784), [28, 28, 1], 'int32'),
            )
            .pad(
              [
                [5, 30],
                [25, 3],
                [0, 0],
              ],
              255,
            ),
        ) as tf.Tensor3D,
      );
      writeFileSync(path.join(dir, i % 2 ? 'nested' : '', `digit-${i}.png`), png);
    }
    writeFileSync(path.join(dir, 'notes.png'), 'not an image at all');
    writeFileSync(path.join(dir, 'zero.png'), '');
    symlinkSync(dir, path.join(dir, 'nested', 'loop'));
    const csv = path.join(dir, 'out, "results".csv');
    const r = await cli('predict', '--model', modelDir, dir, '--csv', csv, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(lastJson(r.stdout)).toMatchObject({ classified: 12, refused: 2 });
    const rows = readFileSync(csv, 'utf8').trim().split('\n');
    expect(rows[0]).toBe(
      'path,predicted,confidence,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9,error,label,correct,predicted_name,label_name',
    );
    expect(rows).toHaveLength(15);
    const good = rows.filter((row) => row.includes('digit-'));
    const correct = good.filter((row) => {
      const i = Number(/digit-(\d+)/.exec(row)![1]);
      return row.split(',')[1] === String(digits.testLabels[i]);
    });
    expect(correct.length).toBeGreaterThanOrEqual(10);
    expect(rows.find((row) => row.includes('notes.png'))).toMatch(/not an image/);
    expect(rows.find((row) => row.includes('zero.png'))).toMatch(/file is empty/);
  });

  it('runs lists the recorded run; export --run writes a single-file model that loads', async () => {
    const list = await cli('runs', '--runs-dir', runsDir, '--json');
    expect(list.code, list.stderr).toBe(0);
    expect(lastJson(list.stdout).runs).toEqual([
      expect.objectContaining({
        id: runId,
        record: expect.objectContaining({ status: 'completed', epochsCompleted: 2 }),
      }),
    ]);
    const file = path.join(tempDir(), 'lenet5.json');
    const r = await cli(
      'export',
      '--run',
      runId,
      '--runs-dir',
      runsDir,
      '--out',
      file,
      '--single-file',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest[0].weights,
        weightData: new Uint8Array(Buffer.from(json.weightData, 'base64')).buffer,
      }),
    );
    const original = await tf.loadLayersModel(`file://${modelDir}/model.json`);
    const x = tf.randomUniform([4, 28, 28, 1]);
    expect(await (model.predict(x) as tf.Tensor).array()).toEqual(
      await (original.predict(x) as tf.Tensor).array(),
    );
    const again = await cli(
      'export',
      '--run',
      runId,
      '--runs-dir',
      runsDir,
      '--out',
      file,
      '--single-file',
    );
    expect(again.stderr).toMatch(/already exists/);
  });

  it('predict names a missing model folder', async () => {
    const r = await cli('predict', '--model', path.join(dataDir, 'nope'), dataDir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nope does not exist/);
  });
});

function readdir(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}
