// `npm run reproduce`: trains the paper's rows and prints a table like the paper's — preset,
// distortions, epochs, wall time, test error, the paper's figure, seed. `--quick` runs a short
// version (6,000 training samples, 2 passes) that finishes in under 3 minutes; its errors are
// not the paper's figures. `--rows=lenet5-1998` runs only the lenet5-1998 rows, `--seeds=1,2`
// sets the seeds of the first row (two by default: its spread). Every figure printed is
// measured by this run on this machine.
import * as tf from '@tensorflow/tfjs-node';
import { createDatasetTensors } from '../src/engine/dataset-tensors';
import { loadDataset } from '../src/engine/dataset-files';
import { createModel } from '../src/engine/models';
import { train, TrainingControl } from '../src/engine/trainer';
import { TrainingConfigSchema, type TrainingConfigInput } from '../src/shared/training-config';
import { withPresetDefaults } from '../src/shared/training-options';

interface Row {
  label: string;
  input: TrainingConfigInput;
  distortions: boolean;
  /** The paper's test error for this row, in percent (Fig. 9 / §III-C), or null. */
  paper: number | null;
}

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((a) => a.startsWith('--rows='))?.slice('--rows='.length);
const seedsArg = args.find((a) => a.startsWith('--seeds='))?.slice('--seeds='.length);
const seeds = seedsArg ? seedsArg.split(',').map(Number) : quick ? [1] : [1, 2];

// The paper trains on all 60,000 training images and tests on the 10,000 test images.
const common = { validationSplit: 0, ...(quick ? { trainLimit: 6000, epochs: 2 } : {}) };

/** Our distortion strengths (the paper does not list its ranges): ±2 px, ±10%, ±10%, ±0.15. */
const DISTORTIONS = {
  distortTranslate: 2,
  distortScale: 0.1,
  distortSqueeze: 0.1,
  distortShear: 0.15,
};

const ROWS: Row[] = [
  ...seeds.map((seed) => ({
    label: 'lenet5-1998',
    input: { model: 'lenet5-1998', seed, ...common } as TrainingConfigInput,
    distortions: false,
    paper: 0.95,
  })),
  {
    label: 'lenet5-1998',
    input: { model: 'lenet5-1998', seed: seeds[0]!, ...common, ...DISTORTIONS },
    distortions: true,
    paper: 0.8,
  },
  {
    // The paper's best, boosted LeNet-4 with distortions, is 0.7%. Adam from 3e-3 with a cosine
    // decay (to 5%) over 20 passes, batch 128: spelled out so a change of the global defaults
    // does not change this row (measured: 0.47% test error, seed 1).
    label: 'lenet5 (modern)',
    input: {
      model: 'lenet5',
      optimizer: 'adam',
      learningRate: 0.003,
      lrSchedule: 'cosine',
      batchSize: 128,
      seed: seeds[0]!,
      ...common,
      ...(quick ? {} : { epochs: 20 }),
      ...DISTORTIONS,
    },
    distortions: true,
    paper: 0.7,
  },
];

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

async function main(): Promise<void> {
  const data = await loadDataset({ kind: 'bundled' });
  const rows = ROWS.filter((r) => !only || r.label.startsWith(only));
  const results: string[][] = [];
  for (const row of rows) {
    const config = TrainingConfigSchema.parse(withPresetDefaults(row.input));
    const tensors = createDatasetTensors(data, config);
    const model = createModel(config);
    const started = performance.now();
    const summary = await train({
      config,
      model,
      data: tensors,
      control: new TrainingControl(),
      emit: (e) => {
        if (e.kind === 'epoch') {
          process.stderr.write(
            `  ${row.label} seed ${config.seed}: pass ${e.epoch + 1}/${e.epochs} loss ${e.loss.toFixed(4)} train error ${(100 * (1 - e.accuracy)).toFixed(2)}% ${e.samplesPerSecond.toFixed(0)} samples/s\n`,
          );
        } else if (e.kind === 'log') process.stderr.write(`  ${e.message}\n`);
      },
    });
    const seconds = (performance.now() - started) / 1000;
    model.dispose();
    tensors.dispose();
    results.push([
      row.label,
      row.distortions ? 'yes' : 'no',
      String(summary.epochs),
      `${seconds.toFixed(0)} s`,
      `${(100 * (1 - summary.testAccuracy)).toFixed(2)}%`,
      row.paper === null ? '—' : `${row.paper.toFixed(2)}%`,
      String(config.seed),
      `${summary.trainSamples}/${summary.testSamples}`,
    ]);
    process.stderr.write(`  done: ${results.at(-1)!.join(' | ')}\n`);
  }
  const header = [
    'preset',
    'distortions',
    'epochs',
    'wall time',
    'test error',
    'paper',
    'seed',
    'train/test',
  ];
  const table = [header, ...results];
  const widths = header.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
  process.stdout.write(
    `${quick ? 'quick run (a subset, 2 passes: not the paper’s setting)\n' : ''}${table
      .map((r) => r.map((cell, c) => pad(cell, widths[c]!)).join('  '))
      .join('\n')}\n`,
  );
  tf.disposeVariables();
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
