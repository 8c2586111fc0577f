// The Train view's layer table and distortion preview, through a real engine process (what the
// view's operations become): the paper's per-layer parameter counts, a shape fault as an answer,
// and the preview grid as bytes across the process boundary, reproducible by seed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineHost } from '../../src/host/engine-host';
import { createNodeEngineHost } from '../../src/host/engine-host-node';
import { TrainingConfigSchema } from '../../src/shared/training-config';
import { PRESET_DEFAULTS, type ModelPreset } from '../../src/shared/training-options';
import { mnistSubset, tempDir, writeDatasetFolder } from '../helpers/fixtures';

let host: EngineHost;
let dataDir: string;

beforeAll(() => {
  dataDir = writeDatasetFolder(mnistSubset(64, 16));
  host = createNodeEngineHost({ runsDir: tempDir(), restart: false });
});
afterAll(() => host?.dispose());

/** A full config as the form sends it: the preset's own defaults, then the changes. */
const configOf = (model: ModelPreset, changes: Record<string, unknown> = {}) =>
  TrainingConfigSchema.parse({ ...PRESET_DEFAULTS[model], model, ...changes });

describe('describe-model', () => {
  it("gives lenet5-1998's layers the paper's parameter counts, 60,000 in all", async () => {
    const table = await host.request({ type: 'describe-model', config: configOf('lenet5-1998') });
    expect(table.error).toBeNull();
    const params = Object.fromEntries(
      table.layers.filter((l) => l.params > 0).map((l) => [l.name, l.params]),
    );
    expect(params).toEqual({ c1: 156, s2: 12, c3: 1516, s4: 32, c5: 48120, f6: 10164 });
    expect(table.total).toBe(60000);
    const shapes = Object.fromEntries(table.layers.map((l) => [l.name, l.output.join('×')]));
    expect(shapes).toMatchObject({
      pad: '32×32×1',
      c1: '28×28×6',
      s2: '14×14×6',
      c3: '10×10×16',
      s4: '5×5×16',
      c5: '1×1×120',
      f6: '84',
      output: '10',
    });
  });

  it('follows the widths: C1 of 12 maps with a full C3', async () => {
    const table = await host.request({
      type: 'describe-model',
      config: configOf('lenet5-1998', { c1Maps: 12, c3: 'full' }),
    });
    expect(table.error).toBeNull();
    const c1 = table.layers.find((l) => l.name === 'c1');
    expect(c1?.output).toEqual([28, 28, 12]);
    expect(c1?.params).toBe(12 * 25 + 12);
    // C3 reads all 12 maps: 16 × (12·25 + 1).
    expect(table.layers.find((l) => l.name === 'c3')?.params).toBe(16 * (12 * 25 + 1));
  });

  it('answers a shape that cannot work with its message, not a failure', async () => {
    const table = await host.request({
      type: 'describe-model',
      config: configOf('lenet5-1998', { c1Maps: 12 }),
    });
    expect(table.layers).toEqual([]);
    expect(table.error).toMatch(/C3 connection table.*--c3 full/);
  });
});

describe('distortion-preview', () => {
  const strengths = { translate: 2, scale: 0.15, squeeze: 0.15, shear: 0.2 };
  const request = (seed: number) =>
    host.request({
      type: 'distortion-preview',
      dataset: { kind: 'folder', path: dataDir },
      strengths,
      seed,
      rows: 3,
      variants: 4,
    });

  it('returns a grid of bytes and the rows’ labels, the same for the same seed', async () => {
    const grid = await request(5);
    expect(grid.pixels).toBeInstanceOf(Uint8Array);
    expect(grid.labels).toBeInstanceOf(Int32Array);
    expect(grid.side).toBe(28);
    expect(grid.width).toBe(5 * 28 + 4);
    expect(grid.height).toBe(3 * 28 + 2);
    expect(grid.labels).toHaveLength(3);
    expect(Math.max(...grid.pixels)).toBeGreaterThan(128);
    expect((await request(5)).pixels).toEqual(grid.pixels);
    expect((await request(6)).pixels).not.toEqual(grid.pixels);
  });

  it('refuses strengths beyond the options’ bounds, naming the field', async () => {
    await expect(
      host.request({
        type: 'distortion-preview',
        strengths: { ...strengths, shear: 5 },
        seed: 1,
        rows: 2,
        variants: 2,
      }),
    ).rejects.toThrow(/shear/);
  });
});
