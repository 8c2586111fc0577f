// The engine and its twin, in this process: predictions never wait for the twin to start, and
// once it has, the same model's large predictions are split with it (real tfjs-node, a real
// twin thread, a model trained on real MNIST digits).
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Engine } from '../../src/engine/engine';
import { TwinThread } from '../../src/engine/twin-thread';
import type { EngineMessage, KernelInfo, Prediction } from '../../src/shared/engine-protocol';
import { mnistSubset, tempDir, writeDatasetFolder } from '../helpers/fixtures';

const kernels: KernelInfo = {
  onednn: 'tensorflow-default',
  decidedBy: 'engine',
  reason: 'test',
  threads: { twin: true, intraOpThreads: null, reason: 'test: a twin' },
};

/** An in-process engine and a way to ask it things by request id. */
function engineWith(startTwin?: ConstructorParameters<typeof Engine>[3]) {
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  const send = (m: EngineMessage) => {
    if (m.type !== 'result') return;
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.ok) p?.resolve(m.value);
    else p?.reject(new Error(m.error.message));
  };
  const engine = new Engine(
    send,
    tempDir('lenet-twin-runs-'),
    startTwin ? kernels : undefined,
    startTwin,
  );
  const ask = <T>(request: Record<string, unknown>): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      void engine.handle({ ...request, id });
    });
  return { ask };
}

const twins: TwinThread[] = [];
afterAll(async () => {
  for (const twin of twins) await twin.terminate();
});

describe('engine with a twin thread', () => {
  it('answers predictions before its twin has started, and splits them once it has', async () => {
    const digits = mnistSubset(400, 64);
    const dataset = { kind: 'folder', path: writeDatasetFolder(digits) };
    const modelDir = path.join(tempDir('lenet-twin-model-'), 'model');
    const trainer = engineWith();
    await trainer.ask({
      type: 'train',
      config: { epochs: 1, trainLimit: 400, testLimit: 64, dataset },
    });
    await trainer.ask({ type: 'save-model', dir: modelDir, singleFile: false });

    // The twin starts only when the test lets it.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let twinStart: ReturnType<typeof TwinThread.start> | undefined;
    const { ask } = engineWith(() => {
      twinStart = gate.then(() => TwinThread.start());
      return twinStart;
    });
    await ask({ type: 'load-model', dir: modelDir });
    const inputs = Float32Array.from(digits.testImages, (v) => v / 255);
    // Regression: predictions awaited the twin's start (1.2 s under tsx); held back, this hung.
    const alone = await ask<Prediction[]>({ type: 'predict', inputs });
    expect(alone).toHaveLength(64);

    release();
    const { twin } = await twinStart!;
    expect(twin).not.toBeNull();
    twins.push(twin!);
    const posted = vi.spyOn(twin!, 'post');
    const split = await ask<Prediction[]>({ type: 'predict', inputs });
    expect(posted.mock.calls.map(([request]) => request.kind)).toEqual(['build', 'predict']);
    split.forEach((p, i) => {
      expect(p.predicted).toBe(alone[i]!.predicted);
      p.probabilities.forEach((q, k) => expect(q).toBeCloseTo(alone[i]!.probabilities[k]!, 5));
    });
  }, 60_000);
});
