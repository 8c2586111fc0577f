// `npm run bench`: the engine's figures at the reference setting (LeNet-5, Adam 1e-3, batch
// 128, one epoch of full MNIST), after a warm-up, and the same model trained by Keras on
// TensorFlow in the same run where a Python with TensorFlow can be provisioned.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { bundledMnistDir } from '../../engine/dataset-files';
import type { EngineHost } from '../../host/engine-host';
import type { TrainingConfigInput } from '../../shared/training-config';
import { percentile } from '../../shared/stats';
import { parse, printJson, withEngine, type Command } from '../cli-common';
import { formatTable } from '../format-table';

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
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

async function inference(host: EngineHost) {
  const digit = () => Array.from({ length: 784 }, (_, i) => ((i * 7919) % 255) / 255);
  const one = [digit()];
  for (let i = 0; i < 20; i++) await host.request({ type: 'predict', inputs: one });
  const latencies: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    await host.request({ type: 'predict', inputs: one });
    latencies.push(performance.now() - t);
  }
  latencies.sort((a, b) => a - b);
  const thousand = Array.from({ length: 1000 }, digit);
  await host.request({ type: 'predict', inputs: thousand });
  const rounds = 5;
  const t = performance.now();
  for (let i = 0; i < rounds; i++) await host.request({ type: 'predict', inputs: thousand });
  const seconds = (performance.now() - t) / 1000;
  return {
    batch1MedianMs: percentile(latencies, 0.5),
    batch1P95Ms: percentile(latencies, 0.95),
    batch1000SamplesPerSecond: (rounds * 1000) / seconds,
  };
}

interface KerasResult {
  samplesPerSecond: number;
  trainSeconds: number;
  testAccuracy: number;
  tensorflow: string;
  keras: string;
}

async function keras(): Promise<KerasResult | { skipped: string }> {
  const setup = (await import(pathToFileURL(path.join(root, 'scripts/setup-keras.mjs')).href)) as {
    ensureKerasPython(o: { quiet: boolean }): string | undefined;
  };
  process.stderr.write('[bench] provisioning Keras (first time takes minutes)…\n');
  const python = setup.ensureKerasPython({ quiet: true });
  if (!python) return { skipped: 'no Python with TensorFlow/Keras could be provisioned' };
  process.stderr.write('[bench] training the same model in Keras…\n');
  const { stdout } = await promisify(execFile)(
    python,
    [
      path.join(root, 'scripts/bench-keras.py'),
      '--data',
      bundledMnistDir(),
      '--epochs',
      '1',
      '--batch',
      '128',
      '--lr',
      '1e-3',
      '--seed',
      '42',
    ],
    { maxBuffer: 1 << 22, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) as string) as KerasResult;
}

export interface TrainingBench {
  table: string;
  json: {
    studio: Record<string, number | string | null>;
    keras: KerasResult | { skipped: string };
    ratio: number | null;
  };
}

/** The training and inference figures, with Keras in the same run unless `noKeras`. */
export async function runTrainingBench(options: { noKeras: boolean }): Promise<TrainingBench> {
  const studio = await withEngine(async (host) => {
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
    return {
      trainSamplesPerSecond: summary.samplesPerSecond,
      epochSeconds: summary.trainSeconds,
      testAccuracy: summary.testAccuracy,
      ...infer,
      peakRssMB: after.memory.peakRssBytes / 2 ** 20,
      tensorsBefore,
      tensorsAfterEpoch: epochTensors[0] ?? null,
      tensorsAfter: after.memory.numTensors,
      tensorflow: after.tensorflow,
    };
  });

  const kerasResult = options.noKeras
    ? { skipped: '--no-keras' }
    : await keras().catch((err: Error) => ({ skipped: err.message }));
  const ratio =
    'samplesPerSecond' in kerasResult
      ? studio.trainSamplesPerSecond / kerasResult.samplesPerSecond
      : null;

  const rows: Array<[string, string, string]> = [
    [
      'training samples/s',
      studio.trainSamplesPerSecond.toFixed(0),
      'samplesPerSecond' in kerasResult ? kerasResult.samplesPerSecond.toFixed(0) : '—',
    ],
    [
      'epoch seconds',
      studio.epochSeconds.toFixed(2),
      'trainSeconds' in kerasResult ? kerasResult.trainSeconds.toFixed(2) : '—',
    ],
    [
      'test accuracy',
      `${(studio.testAccuracy * 100).toFixed(2)}%`,
      'testAccuracy' in kerasResult ? `${(kerasResult.testAccuracy * 100).toFixed(2)}%` : '—',
    ],
    [
      'inference batch 1 (median / p95)',
      `${studio.batch1MedianMs.toFixed(2)} / ${studio.batch1P95Ms.toFixed(2)} ms`,
      '',
    ],
    ['inference batch 1000', `${studio.batch1000SamplesPerSecond.toFixed(0)} samples/s`, ''],
    ['peak RSS (engine process)', `${studio.peakRssMB.toFixed(0)} MB`, ''],
    [
      'tensors before / after epoch / after',
      `${studio.tensorsBefore} / ${studio.tensorsAfterEpoch} / ${studio.tensorsAfter}`,
      '',
    ],
    [
      'studio / Keras training speed',
      ratio === null
        ? `— (${(kerasResult as { skipped: string }).skipped})`
        : `${ratio.toFixed(2)}×`,
      '',
    ],
  ];
  const table =
    `LeNet-5, Adam lr 1e-3, batch 128, 1 epoch of MNIST (60,000), TensorFlow ${studio.tensorflow}\n` +
    formatTable(['metric', 'studio (tfjs-node)', 'Keras'], rows);
  return { table, json: { studio, keras: kerasResult, ratio } };
}

export const bench: Command = async (argv) => {
  const { values: v } = parse(argv, {
    'no-keras': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  } as const);
  const result = await runTrainingBench({ noKeras: v['no-keras'] });
  process.stdout.write(`\n${result.table}\n`);
  printJson(result.json);
  return 0;
};
