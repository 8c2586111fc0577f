// A full disk while writing a checkpoint, an export or a CSV: a clear error naming the file,
// and the previous checkpoint and every earlier file intact. The disk is a real small tmpfs
// where this process may mount one (root); elsewhere ENOSPC is injected at the write layer
// (LENET_TEST_ENOSPC, src/engine/test-hooks.ts). Each test logs which one it used.
import { execFile, execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../src/engine/checkpoint';
import { saveModelDir } from '../../src/engine/model-files';
import { createModel } from '../../src/engine/models';
import { EngineHost } from '../../src/host/engine-host';
import { forkEngine } from '../../src/host/engine-host-node';
import type { StudioEvent } from '../../src/shared/studio-contract';
import { TrainingConfigSchema } from '../../src/shared/training-config';
import { mnistSubset, tempDir, writeDatasetFolder } from '../helpers/fixtures';

const mounted: string[] = [];
const hosts: EngineHost[] = [];
let dataDir: string;
beforeAll(() => {
  dataDir = writeDatasetFolder(mnistSubset(256, 64));
});
afterEach(() => {
  for (const h of hosts.splice(0)) h.dispose();
});
afterAll(() => {
  for (const dir of mounted.splice(0)) execFileSync('umount', [dir]);
});

/**
 * A folder on a tmpfs of `size` bytes when mounting is allowed; otherwise a plain folder and
 * the environment that makes writes matching `inject` fail with ENOSPC.
 */
function smallDisk(size: number, inject: string) {
  const dir = tempDir('lenet-full-');
  try {
    // LENET_TEST_NO_TMPFS=1 exercises the injected path on a machine that could mount.
    if (process.env.LENET_TEST_NO_TMPFS) throw new Error('tmpfs not wanted');
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    mounted.push(dir);
    console.info(`[disk-full] a ${size}-byte tmpfs at ${dir}`);
    return { dir, env: {} as NodeJS.ProcessEnv, kind: 'tmpfs' as const };
  } catch {
    console.info(`[disk-full] cannot mount a tmpfs here: injecting ENOSPC for "${inject}"`);
    return {
      dir,
      env: { LENET_TEST_ENOSPC: inject } as NodeJS.ProcessEnv,
      kind: 'injected' as const,
    };
  }
}

function engine(runsDir: string, env: NodeJS.ProcessEnv) {
  const host = new EngineHost(
    () => forkEngine(undefined, { LENET_STUDIO_RUNS_DIR: runsDir, ...env }),
    { restart: false, onProtocolError: () => undefined },
  );
  hosts.push(host);
  const events: StudioEvent[] = [];
  host.onEvent((e) => events.push(e));
  return { host, events };
}

describe('a full disk', () => {
  it('while writing a checkpoint: a warning naming the file; the previous checkpoint stays', async () => {
    // One LeNet-5 checkpoint with Adam's slots is ~750 KB: the first fits, the second does not.
    // (Injected: the first checkpoint's four files are written, then every later one fails.)
    const disk = smallDisk(1200 * 1024, 'checkpoint.tmp-:4');
    const { host, events } = engine(disk.dir, disk.env);
    const summary = await host.request({
      type: 'train',
      config: {
        dataset: { kind: 'folder', path: dataDir },
        epochs: 3,
        batchSize: 64,
        validationSplit: 0,
      },
    });
    expect(summary.epochs).toBe(3);
    const warnings = events.flatMap((e) =>
      e.kind === 'log' && e.level === 'warn' ? [e.message] : [],
    );
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings[0]).toMatch(
      /could not write a checkpoint \(could not write .*\/checkpoint\/(model\.json|weights\.bin|optimizer\.bin|state\.json): the disk is full \(ENOSPC\)\)/,
    );
    const runDir = path.join(disk.dir, summary.runId!);
    const checkpoint = await loadCheckpoint(path.join(runDir, 'checkpoint'));
    expect(checkpoint.state.epoch).toBe(1); // the first one, whole
    checkpoint.model.dispose();
    expect((await fs.readdir(runDir)).filter((e) => e.startsWith('checkpoint.'))).toEqual([]);
    const [run] = await host.request({ type: 'list-runs' });
    expect(run).toMatchObject({
      damaged: false,
      record: { status: 'completed', epochsCompleted: 3 },
    });
    const metrics = await host.request({ type: 'run-metrics', runId: summary.runId! });
    expect(metrics.map((m) => m.epoch)).toEqual([0, 1, 2]);
  });

  it('while exporting: an error naming the file, nothing half-written, earlier files intact', async () => {
    const disk = smallDisk(160 * 1024, 'export.partial-');
    const keep = path.join(disk.dir, 'earlier.bin');
    await fs.writeFile(keep, Buffer.alloc(40 * 1024, 7));
    const tensors = tf.memory().numTensors;
    const model = createModel(TrainingConfigSchema.parse({}));
    const out = path.join(disk.dir, 'export');
    const info = {
      preset: 'lenet5' as const,
      config: null,
      datasetFingerprint: null,
      testAccuracy: null,
    };
    const env = process.env.LENET_TEST_ENOSPC;
    if (disk.env.LENET_TEST_ENOSPC) process.env.LENET_TEST_ENOSPC = disk.env.LENET_TEST_ENOSPC;
    try {
      await expect(saveModelDir(model, out, info)).rejects.toThrow(
        /could not write .*\/export\/(model\.json|weights\.bin): the disk is full \(ENOSPC\)/,
      );
    } finally {
      if (env === undefined) delete process.env.LENET_TEST_ENOSPC;
      else process.env.LENET_TEST_ENOSPC = env;
      model.dispose();
    }
    expect(await fs.readdir(disk.dir)).toEqual(['earlier.bin']);
    expect(await fs.readFile(keep)).toEqual(Buffer.alloc(40 * 1024, 7));
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('while writing a CSV: the CLI names the file; the earlier CSV stays as it was', async () => {
    const disk = smallDisk(64 * 1024, 'results.csv');
    const csv = path.join(disk.dir, 'results.csv');
    await fs.writeFile(csv, 'earlier results\n');
    // Leave one 4 KB page free on the tmpfs: the new CSV needs more.
    if (disk.kind === 'tmpfs')
      await fs.writeFile(path.join(disk.dir, 'filler'), Buffer.alloc(56 * 1024));
    const model = path.join(tempDir(), 'model');
    const m = createModel(TrainingConfigSchema.parse({}));
    await saveModelDir(m, model, {
      preset: 'lenet5',
      config: null,
      datasetFingerprint: null,
      testAccuracy: null,
    });
    m.dispose();
    const images = tempDir('lenet-png-');
    const png = await tf.node.encodePng(
      tf.tidy(() => tf.fill([28, 28, 1], 128, 'int32')) as tf.Tensor3D,
    );
    for (let i = 0; i < 60; i++) await fs.writeFile(path.join(images, `digit-${i}.png`), png);
    const root = path.resolve(__dirname, '../..');
    const result = await promisify(execFile)(
      path.join(root, 'node_modules/.bin/tsx'),
      ['src/cli/index.ts', 'predict', '--model', model, images, '--csv', csv],
      { cwd: root, env: { ...process.env, ...disk.env }, maxBuffer: 1 << 24 },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`could not write ${csv}: the disk is full (ENOSPC)`);
    expect(await fs.readFile(csv, 'utf8')).toBe('earlier results\n');
    expect((await fs.readdir(disk.dir)).filter((e) => e.startsWith('results.csv.'))).toEqual([]);
  });
});
