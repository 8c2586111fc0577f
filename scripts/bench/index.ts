// `npm run bench`: every figure the studio promises, measured on this machine in one run.
//   1. training and inference at the reference setting, with a PyTorch script and Keras on
//      TensorFlow (oneDNN off and on) beside it;
//   2. the Train view's responsiveness in browser mode while a full-MNIST epoch trains;
//   3. classification: stroke latency in the Draw view, CLI folder throughput and memory,
//      accuracy on digits in the wild next to the plain test accuracy;
//   4. feature maps: engine time of one activations request for one digit.
// Prints one table per part and, last, one JSON line with everything.
// Flags: --no-torch, --no-keras, --only=training,responsiveness,classification,activations,memory,
//        --memory-epochs=N, --time-to-99 (adds the studio defaults' time to 99.0% test
//        accuracy next to PyTorch's; minutes)
import { formatTable } from '../../src/cli/format-table';
import { benchActivations } from './activations';
import { benchClassification } from './classification';
import { benchMemoryFlat } from './memory-flat';
import { benchResponsiveness } from './responsiveness';
import { benchTimeToTarget } from './time-to-target';
import { runTrainingBench } from './training';

const args = process.argv.slice(2);
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const wanted = (part: string) => !only || only.includes(part);

async function main(): Promise<void> {
  const results: Record<string, unknown> = {};

  if (wanted('training')) {
    const training = await runTrainingBench({
      noKeras: args.includes('--no-keras'),
      noTorch: args.includes('--no-torch'),
    });
    process.stdout.write(`\n${training.table}\n`);
    results.training = training.json;
  }

  if (wanted('responsiveness')) {
    process.stderr.write('[bench] UI responsiveness in browser mode (one epoch of full MNIST)…\n');
    const r = await benchResponsiveness();
    results.responsiveness = r;
    const rows =
      'skipped' in r
        ? [['skipped', r.skipped, '']]
        : [
            ['longest gap between frames', `${r.maxFrameGapMs} ms`, '≤ 50 ms'],
            ['progress events per second', String(r.progressEventsPerSecond), '5–20'],
            [
              'epoch points on the accuracy chart',
              `${r.epochPointsShown} (${r.epochEvents} epochs)`,
              'every epoch',
            ],
          ];
    process.stdout.write(
      `\nTrain view while training (Chromium, browser mode)\n${formatTable(['metric', 'measured', 'floor'], rows)}\n`,
    );
  }

  if (wanted('classification')) {
    process.stderr.write('[bench] classification: Draw latency, CLI throughput, wild digits…\n');
    const c = await benchClassification();
    results.classification = c.json;
    process.stdout.write(
      `\nClassification (Draw view in Chromium, CLI predict, digits in the wild)\n${formatTable(['metric', 'measured', 'floor'], c.rows)}\n`,
    );
  }

  if (wanted('activations')) {
    process.stderr.write('[bench] feature maps: activations requests for one digit…\n');
    const a = await benchActivations();
    results.activations = a.json;
    process.stdout.write(
      `\nFeature maps (one digit, every layer and the filters)\n${formatTable(['metric', 'measured', 'floor'], a.rows)}\n`,
    );
  }

  if (args.includes('--time-to-99')) {
    const t = await benchTimeToTarget();
    process.stdout.write(`\n${t.table}\n`);
    results.timeToTarget = t.json;
  }

  if (wanted('memory')) results.memory = await benchMemoryFlat(args);

  process.stdout.write(`${JSON.stringify(results)}\n`);
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    process.stderr.write(`bench failed: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
