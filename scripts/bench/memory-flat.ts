// `npm run bench` part: a 50-epoch run on a small MNIST subset (checkpoints and metrics written
// every epoch, as in the studio), reporting the engine's resident memory and tensor count at the
// end of the first and of the last epoch. Flat figures mean nothing accumulates per epoch. A
// reported figure, not a pass/fail test: RSS moves with the allocator and the machine.
// `--memory-epochs=N` shortens the run (a quick correctness check).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createNodeEngineHost } from '../../src/host/engine-host-node';
import { formatTable } from '../../src/cli/format-table';

interface Sample {
  epoch: number;
  rssMB: number;
  numTensors: number;
}

export interface MemoryFlatReport {
  epochs: number;
  trainSamples: number;
  first: Sample;
  last: Sample;
}

export async function benchMemoryFlat(args: string[]): Promise<MemoryFlatReport> {
  const epochs = Number(args.find((a) => a.startsWith('--memory-epochs='))?.split('=')[1] ?? 50);
  const trainSamples = 2048;
  process.stderr.write(`[bench] memory over ${epochs} epochs of ${trainSamples} samples…\n`);
  const runsDir = mkdtempSync(path.join(os.tmpdir(), 'lenet-bench-runs-'));
  const host = createNodeEngineHost({ runsDir, restart: false });
  const samples: Sample[] = [];
  const pending: Array<Promise<void>> = [];
  host.onEvent((e) => {
    if (e.kind !== 'epoch') return;
    // Asked at the epoch's end: the engine answers between batches of the next one.
    pending.push(
      host.request({ type: 'info' }).then((info) => {
        samples.push({
          epoch: e.epoch + 1,
          rssMB: Math.round(info.memory.rssBytes / 1e5) / 10,
          numTensors: info.memory.numTensors,
        });
      }),
    );
  });
  try {
    await host.request({
      type: 'train',
      config: {
        dataset: { kind: 'bundled' },
        epochs,
        batchSize: 128,
        validationSplit: 0,
        trainLimit: trainSamples,
        testLimit: 500,
        lrSchedule: 'constant',
        seed: 42,
      },
    });
    await Promise.all(pending);
  } finally {
    host.dispose();
    rmSync(runsDir, { recursive: true, force: true });
  }
  samples.sort((a, b) => a.epoch - b.epoch);
  const first = samples[0]!;
  const last = samples.at(-1)!;
  // The first and last epochs are the figures of record; the quarters in between show whether
  // resident memory levels off (allocator warm-up) or keeps climbing (a leak).
  const shown = samples.filter(
    (s, i) =>
      i === 0 || i === samples.length - 1 || s.epoch % Math.max(1, Math.round(epochs / 4)) === 0,
  );
  const rows = shown.map((s) => [`after epoch ${s.epoch}`, `${s.rssMB} MB`, String(s.numTensors)]);
  process.stdout.write(
    `\nEngine memory over a ${epochs}-epoch run (${trainSamples} samples, checkpoint every epoch)\n${formatTable(['when', 'resident memory', 'tensors'], rows)}\n`,
  );
  return { epochs, trainSamples, first, last };
}
