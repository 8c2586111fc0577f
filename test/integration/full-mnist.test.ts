// One epoch on the full bundled MNIST with the default configuration, through the real engine
// process: the figure the studio promises out of the box.
import { afterAll, describe, expect, it } from 'vitest';
import { createNodeEngineHost } from '../../src/host/engine-host-node';

const host = createNodeEngineHost({ restart: false });
afterAll(() => host.dispose());

describe('full MNIST', () => {
  it('one epoch with the defaults reaches at least 97% test accuracy without leaking', async () => {
    const epochs: number[] = [];
    host.onEvent((e) => {
      if (e.kind === 'epoch') epochs.push(e.numTensors);
    });
    const summary = await host.request({ type: 'train', config: { epochs: 1 } });
    expect(summary.trainSamples + summary.validationSamples).toBe(60_000);
    expect(summary.testSamples).toBe(10_000);
    expect(summary.testAccuracy).toBeGreaterThanOrEqual(0.97);
    const info = await host.request({ type: 'info' });
    // Only the trained model's weights stay resident after the run.
    expect(info.memory.numTensors).toBe(info.model!.params > 0 ? 10 : 0);
  }, 300_000);
});
