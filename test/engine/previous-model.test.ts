// A finished run replaces the current model, and one click brings the replaced one back: the
// engine keeps exactly one previous model (the one before it is freed, so nothing leaks).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineHost } from '../../src/host/engine-host';
import { createNodeEngineHost } from '../../src/host/engine-host-node';
import { mnistSubset, tempDir, writeDatasetFolder } from '../helpers/fixtures';

let host: EngineHost;
let dataDir: string;
const subset = mnistSubset(600, 100);
const probe = subset.testImages.slice(0, 4 * 784);
const inputs = Array.from({ length: 4 }, (_, i) =>
  Array.from(probe.subarray(i * 784, (i + 1) * 784), (v) => v / 255),
);

beforeAll(() => {
  dataDir = writeDatasetFolder(subset);
  host = createNodeEngineHost({ runsDir: path.join(tempDir(), 'runs'), restart: false });
});
afterAll(() => host?.dispose());

const train = (seed: number) =>
  host.request({
    type: 'train',
    config: { dataset: { kind: 'folder', path: dataDir }, epochs: 1, validationSplit: 0, seed },
  });
const predict = async () =>
  (await host.request({ type: 'predict', inputs })).map((p) => p.probabilities);

describe('previous model', () => {
  it('with no model replaced yet there is nothing to go back to', async () => {
    await expect(host.request({ type: 'restore-previous-model' })).rejects.toThrow(
      /no previous model/,
    );
  });

  it('a finished run can be undone, and the undo undone; one model is kept, not all', async () => {
    const first = await train(1);
    const firstInfo = (await host.request({ type: 'info' })).model;
    const firstPredictions = await predict();
    await train(2);
    const second = await host.request({ type: 'info' });
    expect(second.model?.runId).not.toBe(firstInfo?.runId);
    expect(second.previousModel?.runId).toBe(firstInfo?.runId);
    const secondPredictions = await predict();

    const restored = await host.request({ type: 'restore-previous-model' });
    expect(restored.runId).toBe(firstInfo?.runId);
    expect(restored.testAccuracy).toBe(first.testAccuracy);
    expect(await predict()).toEqual(firstPredictions);
    await host.request({ type: 'restore-previous-model' });
    expect(await predict()).toEqual(secondPredictions);

    // A third run frees the oldest model (and its inference network): tensors stay at two
    // models' worth, each having predicted once (which builds its native network).
    const tensorsWithTwo = (await host.request({ type: 'info' })).memory.numTensors;
    await train(3);
    await predict();
    expect((await host.request({ type: 'info' })).memory.numTensors).toBe(tensorsWithTwo);
  }, 120_000);
});
