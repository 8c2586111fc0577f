// The engine and its twin, in this process: predictions never wait for the twin to start, and
// once it has, the same model's large predictions are split with it (real tfjs-node, a real
// twin thread, a model trained on real MNIST digits).
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Engine } from '../../src/engine/engine';
import { TwinThread } from '../../src/engine/twin-thread';
import { EngineHost } from '../../src/host/engine-host';
import type { KernelInfo } from '../../src/shared/engine-protocol';
import { mnistSubset, tempDir, writeDatasetFolder } from '../helpers/fixtures';

const kernels: KernelInfo = {
  onednn: 'tensorflow-default',
  decidedBy: 'engine',
  reason: 'test',
  threads: { twin: true, intraOpThreads: null, reason: 'test: a twin' },
};

/** An EngineHost over an engine in this process (the host's own request plumbing). */
function engineWith(startTwin?: ConstructorParameters<typeof Engine>[3]): EngineHost {
  return new EngineHost(
    () => {
      let receive: (message: unknown) => void = () => undefined;
      const engine = new Engine(
        (message) => receive(message),
        tempDir('lenet-twin-runs-'),
        startTwin ? kernels : undefined,
        startTwin,
      );
      queueMicrotask(() => receive({ type: 'ready', pid: process.pid }));
      return {
        pid: process.pid,
        send: (message) => void engine.handle(message),
        onMessage: (listener) => (receive = listener),
        onExit: () => undefined,
        kill: () => undefined,
      };
    },
    { restart: false },
  );
}

const twins: TwinThread[] = [];
afterAll(async () => {
  for (const twin of twins) await twin.terminate();
});

describe('engine with a twin thread', () => {
  it('answers predictions before its twin has started, and splits them once it has', async () => {
    const digits = mnistSubset(400, 64);
    const dataset = { kind: 'folder' as const, path: writeDatasetFolder(digits) };
    const modelDir = path.join(tempDir('lenet-twin-model-'), 'model');
    const trainer = engineWith();
    await trainer.request({
      type: 'train',
      config: { epochs: 1, trainLimit: 400, testLimit: 64, dataset },
    });
    await trainer.request({ type: 'save-model', dir: modelDir, singleFile: false });

    // The twin starts only when the test lets it.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let twinStart: ReturnType<typeof TwinThread.start> | undefined;
    const host = engineWith(() => {
      twinStart = gate.then(() => TwinThread.start());
      return twinStart;
    });
    await host.request({ type: 'load-model', dir: modelDir });
    const inputs = Float32Array.from(digits.testImages, (v) => v / 255);
    // Regression: predictions awaited the twin's start (1.2 s under tsx); held back, this hung.
    const alone = await host.request({ type: 'predict', inputs });
    expect(alone).toHaveLength(64);

    release();
    const { twin } = await twinStart!;
    expect(twin).not.toBeNull();
    twins.push(twin!);
    const posted = vi.spyOn(twin!, 'post');
    const split = await host.request({ type: 'predict', inputs });
    expect(posted.mock.calls.map(([request]) => request.kind)).toEqual(['build', 'predict']);
    split.forEach((p, i) => {
      expect(p.predicted).toBe(alone[i]!.predicted);
      p.probabilities.forEach((q, k) => expect(q).toBeCloseTo(alone[i]!.probabilities[k]!, 5));
    });
  }, 60_000);
});
