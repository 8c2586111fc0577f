// `npm run bench -- --time-to-99`: how long the studio's defaults (the settings a person gets
// without touching the form: preset, optimizer, learning-rate schedule, epochs, validation
// split) take to reach 99.0% test accuracy on full MNIST, next to the PyTorch script at
// Adam 1e-3, batch 128, checked after every epoch. Long (minutes), so behind a flag.
import { withEngine } from '../../src/cli/cli-common';
import { formatTable } from '../../src/cli/format-table';
import { TrainingConfigSchema } from '../../src/shared/training-config';
import { measured, pytorchTimeToTarget } from './references';

const TARGET = 0.99;
const MAX_EPOCHS = 15;

export async function benchTimeToTarget() {
  const defaults = TrainingConfigSchema.parse({});
  process.stderr.write(
    `[bench] studio defaults (${defaults.epochs} epochs, ${defaults.optimizer} ${defaults.learningRate}, ${defaults.lrSchedule})…\n`,
  );
  const studio = await withEngine(
    async (host) => {
      const valByEpoch: Array<number | null> = [];
      host.onEvent((e) => {
        if (e.kind === 'epoch') valByEpoch.push(e.valAccuracy);
      });
      const summary = await host.request({ type: 'train', config: {} });
      return {
        epochs: summary.epochs,
        seconds: summary.trainSeconds,
        testAccuracy: summary.testAccuracy,
        reached: summary.testAccuracy >= TARGET,
        validationAccuracyByEpoch: valByEpoch,
      };
    },
    { trains: true },
  );
  const pytorch = await pytorchTimeToTarget(
    { optimizer: 'adam', learningRate: 1e-3, batchSize: 128, seed: 42, epochs: MAX_EPOCHS },
    TARGET,
    MAX_EPOCHS,
  );
  const torchTarget = measured(pytorch)
    ? (pytorch.timeToTarget as {
        reached: { epochs: number; seconds: number } | null;
        testAccuracyByEpoch: number[];
      })
    : null;
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  const rows = [
    [
      'epochs to 99.0% test accuracy',
      studio.reached ? String(studio.epochs) : `not in ${studio.epochs}`,
      torchTarget
        ? torchTarget.reached
          ? String(torchTarget.reached.epochs)
          : `not in ${MAX_EPOCHS}`
        : '—',
    ],
    [
      'training seconds to get there',
      studio.reached ? studio.seconds.toFixed(1) : '—',
      torchTarget?.reached ? torchTarget.reached.seconds.toFixed(1) : '—',
    ],
    [
      'test accuracy at the end',
      pct(studio.testAccuracy),
      torchTarget ? pct(torchTarget.testAccuracyByEpoch.at(-1) ?? 0) : '—',
    ],
  ];
  const table =
    `Time to 99.0% (studio: its defaults, ${defaults.epochs} epochs ${defaults.optimizer} ${defaults.learningRate} ${defaults.lrSchedule}, validation ${defaults.validationSplit}; PyTorch: Adam 1e-3, batch 128, test accuracy after each epoch)\n` +
    formatTable(['metric', 'studio defaults', 'PyTorch'], rows) +
    (measured(pytorch) ? '' : `\nPyTorch skipped: ${pytorch.skipped}`);
  return { table, json: { target: TARGET, studio, pytorch } };
}
