// Feature maps: engine time of one activations request for one digit (every layer's maps and
// the filters of the current LeNet-5), the figure the Draw view's live panel depends on
// (issue 11: under 20 ms). A model trained briefly on 2,000 digits; real MNIST test digits.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundledMnistDir } from '../../src/engine/dataset-files';
import { createNodeEngineHost } from '../../src/host/engine-host-node';

const REQUESTS = 200;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

export async function benchActivations(): Promise<{
  rows: string[][];
  json: {
    requests: number;
    engineMedianMs: number;
    engineP95Ms: number;
    roundTripMedianMs: number;
  };
}> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'lenet-bench-maps-'));
  const host = createNodeEngineHost({ restart: false, runsDir: path.join(work, 'runs') });
  try {
    await host.request({
      type: 'train',
      config: { epochs: 1, trainLimit: 2000, testLimit: 100, validationSplit: 0, seed: 1 },
    });
    const images = readFileSync(path.join(bundledMnistDir(), 't10k-images-idx3-ubyte')).subarray(
      16,
    );
    const digit = (i: number) =>
      Float32Array.from(images.subarray((i % 100) * 784, ((i % 100) + 1) * 784), (v) => v / 255);
    // Warm-up: the first requests compile kernels.
    for (let i = 0; i < 10; i++) await host.request({ type: 'activations', input: digit(i) });
    const engine: number[] = [];
    const roundTrip: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const started = performance.now();
      const r = await host.request({ type: 'activations', input: digit(i) });
      roundTrip.push(performance.now() - started);
      engine.push(r.milliseconds);
    }
    engine.sort((a, b) => a - b);
    roundTrip.sort((a, b) => a - b);
    const json = {
      requests: REQUESTS,
      engineMedianMs: Number(quantile(engine, 0.5).toFixed(2)),
      engineP95Ms: Number(quantile(engine, 0.95).toFixed(2)),
      roundTripMedianMs: Number(quantile(roundTrip, 0.5).toFixed(2)),
    };
    return {
      rows: [
        ['engine time, median', `${json.engineMedianMs} ms`, '< 20 ms'],
        ['engine time, 95th percentile', `${json.engineP95Ms} ms`, ''],
        ['round trip through the engine protocol, median', `${json.roundTripMedianMs} ms`, ''],
      ],
      json,
    };
  } finally {
    host.dispose();
    rmSync(work, { recursive: true, force: true });
  }
}
