// `npm run bench` part 1: the engine's figures at the reference setting (LeNet-5, Adam 1e-3,
// batch 128, one epoch of full MNIST), after a warm-up, and the same model trained by a
// PyTorch script and by Keras (oneDNN off and on) in the same run (references.ts), with the
// studio/reference ratios for training and batch-1000 inference.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { EngineHost } from '../../src/host/engine-host';
import { startServer } from '../../src/server/server';
import { watchingClient } from '../../test/e2e/helpers/studio-client';
import { tempDir } from '../../test/helpers/fixtures';
import type { TrainingConfigInput } from '../../src/shared/training-config';
import { packPixelBatch } from '../../src/shared/engine-protocol';
import { percentile } from '../../src/shared/stats';
import { withPresetDefaults } from '../../src/shared/training-options';
import { withEngine } from '../../src/cli/cli-common';
import { formatTable } from '../../src/cli/format-table';
import {
  kerasReferences,
  measured,
  pytorchReference,
  type KerasReferences,
  type Reference,
} from './references';

const REFERENCE: TrainingConfigInput = {
  model: 'lenet5',
  optimizer: 'adam',
  learningRate: 1e-3,
  lrSchedule: 'constant',
  batchSize: 128,
  epochs: 1,
  validationSplit: 0,
  seed: 42,
};

const digit = () => Array.from({ length: 784 }, (_, i) => ((i * 7919) % 255) / 255);

/**
 * Seconds per call of each way of asking, measured in interleaved rounds (a, b, a, b…) so a
 * load spike from elsewhere on the machine falls on both alike. One warm-up call each first.
 */
async function interleaved(
  ways: ReadonlyArray<() => Promise<unknown>>,
  rounds: number,
): Promise<number[]> {
  for (const way of ways) await way();
  const seconds = ways.map(() => 0);
  for (let r = 0; r < rounds; r++) {
    for (const [k, way] of ways.entries()) {
      const t = performance.now();
      await way();
      seconds[k] = (seconds[k] as number) + (performance.now() - t) / 1000;
    }
  }
  return seconds.map((s) => s / rounds);
}
/**
 * The 1998 preset at its own defaults (scaled tanh, trainable subsampling, C3 table, RBF output,
 * the paper's criterion, Adam, batch 16), measured on a fifth of MNIST: its samples/s beside the
 * modern preset's (each at its own batch size, as each is trained).
 */
const LENET_1998: TrainingConfigInput = withPresetDefaults({
  model: 'lenet5-1998',
  epochs: 1,
  validationSplit: 0,
  seed: 42,
  trainLimit: 12_000,
  testLimit: 1000,
});

async function inference(host: EngineHost) {
  // The studio's own path: the UI, the CLI and the server send a predict batch as one
  // Float32Array (binary over the process channel), not as rows of numbers.
  const one = packPixelBatch([digit()]);
  for (let i = 0; i < 20; i++) await host.request({ type: 'predict', inputs: one });
  const latencies: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    await host.request({ type: 'predict', inputs: one });
    latencies.push(performance.now() - t);
  }
  latencies.sort((a, b) => a - b);
  const rows = Array.from({ length: 1000 }, digit);
  const thousand = packPixelBatch(rows);
  // Rows of numbers, as predict requests were sent before the binary batch: kept beside it.
  const [binary, asRows] = await interleaved(
    [
      () => host.request({ type: 'predict', inputs: thousand }),
      () => host.request({ type: 'predict', inputs: rows }),
    ],
    5,
  );
  return {
    batch1MedianMs: percentile(latencies, 0.5),
    batch1P95Ms: percentile(latencies, 0.95),
    batch1000SamplesPerSecond: 1000 / (binary as number),
    batch1000RowsSamplesPerSecond: 1000 / (asRows as number),
  };
}

/**
 * Batch-1000 inference in browser mode: the renderer's WebSocket client against the real
 * server (and its own engine, with the model just trained), a Float32Array batch in one binary
 * frame next to the same batch as JSON rows of numbers (how browser mode sent it before).
 */
async function webSocketInference(modelDir: string) {
  const dir = tempDir('lenet-bench-ws-');
  const web = path.join(dir, 'web');
  mkdirSync(web);
  writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>bench</title>');
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    staticDir: web,
    runsDir: path.join(dir, 'runs'),
  });
  const { client, close } = watchingClient(server);
  try {
    const granted = await client.grantPath({ path: modelDir, use: 'model' });
    await client.loadModel({ dir: granted.path });
    const rows = Array.from({ length: 1000 }, digit);
    const thousand = packPixelBatch(rows);
    const [binary, asRows] = await interleaved(
      [() => client.predict(thousand), () => client.predict(rows)],
      5,
    );
    return {
      batch1000SamplesPerSecond: 1000 / (binary as number),
      batch1000JsonRowsSamplesPerSecond: 1000 / (asRows as number),
    };
  } finally {
    close();
    await server.close();
  }
}

async function studioFigures() {
  // `trains`: the engine the studio trains with (its twin thread too, where the machine has one).
  return withEngine(
    async (host) => {
      process.stderr.write('[bench] warm-up…\n');
      await host.request({
        type: 'train',
        config: { ...REFERENCE, trainLimit: 2560, testLimit: 1000 },
      });
      const tensorsBefore = (await host.request({ type: 'info' })).memory.numTensors;
      process.stderr.write('[bench] one epoch of full MNIST at the reference setting…\n');
      const epochTensors: number[] = [];
      host.onEvent((e) => {
        if (e.kind === 'epoch') epochTensors.push(e.numTensors);
      });
      const summary = await host.request({ type: 'train', config: REFERENCE });
      const after = await host.request({ type: 'info' });
      process.stderr.write('[bench] inference…\n');
      const infer = await inference(host);
      const modelDir = path.join(tempDir('lenet-bench-model-'), 'model');
      await host.request({ type: 'save-model', dir: modelDir });
      process.stderr.write('[bench] lenet5-1998 training (12,000 samples, batch 16)…\n');
      await host.request({ type: 'train', config: { ...LENET_1998, trainLimit: 512 } });
      const lenet1998 = await host.request({ type: 'train', config: LENET_1998 });
      return {
        modelDir,
        trainSamplesPerSecond: summary.samplesPerSecond,
        /** lenet5-1998 at its preset defaults (batch 16), on the native path. */
        lenet1998TrainSamplesPerSecond: lenet1998.samplesPerSecond,
        lenet1998BatchSize: LENET_1998.batchSize!,
        epochSeconds: summary.trainSeconds,
        testAccuracy: summary.testAccuracy,
        ...infer,
        peakRssMB: after.memory.peakRssBytes / 2 ** 20,
        tensorsBefore,
        tensorsAfterEpoch: epochTensors[0] ?? null,
        tensorsAfter: after.memory.numTensors,
        tensorflow: after.tensorflow,
        /** How the engine computed (thread-plan.ts): a twin or one thread, and why. */
        threads: after.kernels.threads?.reason ?? null,
      };
    },
    { trains: true },
  );
}
type StudioFigures = Omit<Awaited<ReturnType<typeof studioFigures>>, 'modelDir'> & {
  webSocket: Awaited<ReturnType<typeof webSocketInference>>;
};

/** studio ÷ reference for training and batch-1000 inference (null where it was skipped). */
function ratios(studio: StudioFigures, reference: Reference) {
  return measured(reference)
    ? {
        training: studio.trainSamplesPerSecond / reference.samplesPerSecond,
        batch1000: studio.batch1000SamplesPerSecond / reference.batch1000SamplesPerSecond,
      }
    : { training: null, batch1000: null };
}

export interface TrainingBench {
  table: string;
  json: {
    studio: StudioFigures;
    pytorch: Reference;
    keras: KerasReferences;
    /** studio / Keras (oneDNN off) training speed, as this field always meant. */
    ratio: number | null;
    ratios: Record<'pytorch' | 'kerasOnednnOff' | 'kerasOnednnOn', ReturnType<typeof ratios>>;
  };
}

const skippedBy = (flag: string) => ({ skipped: flag });

/** The training and inference figures, with PyTorch and Keras in the same run unless skipped. */
export async function runTrainingBench(options: {
  noKeras: boolean;
  noTorch: boolean;
}): Promise<TrainingBench> {
  const { modelDir, ...engineFigures } = await studioFigures();
  process.stderr.write('[bench] inference through the browser-mode WebSocket…\n');
  const studio: StudioFigures = {
    ...engineFigures,
    webSocket: await webSocketInference(modelDir),
  };
  const pytorch = options.noTorch ? skippedBy('--no-torch') : await pytorchReference(REFERENCE);
  const keras = options.noKeras
    ? { onednnOff: skippedBy('--no-keras'), onednnOn: skippedBy('--no-keras') }
    : await kerasReferences(REFERENCE);

  const references: Array<[string, Reference]> = [
    ['PyTorch', pytorch],
    ['Keras, oneDNN off', keras.onednnOff],
    ['Keras, oneDNN on', keras.onednnOn],
  ];
  const r = {
    pytorch: ratios(studio, pytorch),
    kerasOnednnOff: ratios(studio, keras.onednnOff),
    kerasOnednnOn: ratios(studio, keras.onednnOn),
  };
  const each = (show: (ref: Exclude<Reference, { skipped: string }>) => string) =>
    references.map(([, ref]) => (measured(ref) ? show(ref) : '—'));
  const times = (x: number | null) => (x === null ? '—' : `${x.toFixed(2)}×`);
  const percent = (x: number) => `${(x * 100).toFixed(2)}%`;

  const rows: string[][] = [
    [
      'training samples/s',
      studio.trainSamplesPerSecond.toFixed(0),
      ...each((ref) => ref.samplesPerSecond.toFixed(0)),
    ],
    [
      `training samples/s, lenet5-1998 (batch ${studio.lenet1998BatchSize})`,
      studio.lenet1998TrainSamplesPerSecond.toFixed(0),
      '',
      '',
      '',
    ],
    [
      'epoch seconds',
      studio.epochSeconds.toFixed(2),
      ...each((ref) => ref.trainSeconds.toFixed(2)),
    ],
    ['test accuracy', percent(studio.testAccuracy), ...each((ref) => percent(ref.testAccuracy))],
    [
      'inference batch 1000 (samples/s)',
      studio.batch1000SamplesPerSecond.toFixed(0),
      ...each((ref) => ref.batch1000SamplesPerSecond.toFixed(0)),
    ],
    [
      '… the same batch as rows of numbers',
      studio.batch1000RowsSamplesPerSecond.toFixed(0),
      '',
      '',
      '',
    ],
    [
      '… browser mode, WebSocket binary frame',
      studio.webSocket.batch1000SamplesPerSecond.toFixed(0),
      ...each((ref) =>
        times(studio.webSocket.batch1000SamplesPerSecond / ref.batch1000SamplesPerSecond),
      ),
    ],
    [
      '… browser mode, WebSocket JSON rows',
      studio.webSocket.batch1000JsonRowsSamplesPerSecond.toFixed(0),
      ...each((ref) =>
        times(studio.webSocket.batch1000JsonRowsSamplesPerSecond / ref.batch1000SamplesPerSecond),
      ),
    ],
    ['engine threads', studio.threads ?? 'not reported', '', '', ''],
    [
      'peak RSS while training',
      `${studio.peakRssMB.toFixed(0)} MB`,
      ...each((ref) => `${ref.peakRssMB.toFixed(0)} MB`),
    ],
    [
      'studio / this column, training',
      '',
      times(r.pytorch.training),
      times(r.kerasOnednnOff.training),
      times(r.kerasOnednnOn.training),
    ],
    [
      'studio / this column, inference batch 1000',
      '',
      times(r.pytorch.batch1000),
      times(r.kerasOnednnOff.batch1000),
      times(r.kerasOnednnOn.batch1000),
    ],
    [
      'inference batch 1 (median / p95)',
      `${studio.batch1MedianMs.toFixed(2)} / ${studio.batch1P95Ms.toFixed(2)} ms`,
      '',
      '',
      '',
    ],
    [
      'tensors before / after epoch / after',
      `${studio.tensorsBefore} / ${studio.tensorsAfterEpoch} / ${studio.tensorsAfter}`,
      '',
      '',
      '',
    ],
  ];
  // One line per reason: both Keras runs skipped for the same reason say it once.
  const why = new Map<string, string[]>();
  for (const [name, ref] of references) {
    if (!measured(ref)) why.set(ref.skipped, [...(why.get(ref.skipped) ?? []), name]);
  }
  const skipped = [...why]
    .map(([reason, names]) => `${names.join(', ')} skipped: ${reason}\n`)
    .join('');
  const table =
    `LeNet-5, Adam lr 1e-3, batch 128, 1 epoch of MNIST (60,000), TensorFlow ${studio.tensorflow}\n` +
    formatTable(['metric', 'studio (tfjs-node)', ...references.map(([name]) => name)], rows) +
    (skipped ? `\n${skipped.trimEnd()}` : '');
  return {
    table,
    json: { studio, pytorch, keras, ratio: r.kerasOnednnOff.training, ratios: r },
  };
}
