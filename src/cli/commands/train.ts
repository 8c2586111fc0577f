import type { TrainingConfigInput } from '../../shared/training-config';
import { TrainingConfigSchema } from '../../shared/training-config';
import { describeIssues } from '../../shared/zod-messages';
import { CliError, num, parse, printJson, withEngine, type Command } from '../cli-common';
import { createProgressReporter } from '../progress-bar';

const OPTIONS = {
  data: { type: 'string' },
  model: { type: 'string' },
  epochs: { type: 'string' },
  batch: { type: 'string' },
  lr: { type: 'string' },
  seed: { type: 'string' },
  optimizer: { type: 'string' },
  activation: { type: 'string' },
  pooling: { type: 'string' },
  dropout: { type: 'string' },
  schedule: { type: 'string' },
  'validation-split': { type: 'string' },
  'train-limit': { type: 'string' },
  'test-limit': { type: 'string' },
  out: { type: 'string' },
  'single-file': { type: 'boolean', default: false },
  'runs-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

const FLAG_OF: Record<string, string> = {
  batchSize: 'batch',
  learningRate: 'lr',
  lrSchedule: 'schedule',
  validationSplit: 'validation-split',
  trainLimit: 'train-limit',
  testLimit: 'test-limit',
  dataset: 'data',
};

export const train: Command = async (argv) => {
  const { values: v } = parse(argv, OPTIONS);
  const input: Record<string, unknown> = {
    model: v.model,
    epochs: num(v.epochs, 'epochs'),
    batchSize: num(v.batch, 'batch'),
    learningRate: num(v.lr, 'lr'),
    seed: num(v.seed, 'seed'),
    optimizer: v.optimizer,
    activation: v.activation,
    pooling: v.pooling,
    dropout: num(v.dropout, 'dropout'),
    lrSchedule: v.schedule,
    validationSplit: num(v['validation-split'], 'validation-split'),
    trainLimit: num(v['train-limit'], 'train-limit'),
    testLimit: num(v['test-limit'], 'test-limit'),
    dataset: v.data ? { kind: 'folder', path: v.data } : undefined,
  };
  for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key];
  const parsed = TrainingConfigSchema.safeParse(input as TrainingConfigInput);
  if (!parsed.success) {
    // Name the command-line flag, not the internal field.
    const issues = parsed.error.issues.map((i) => {
      const field = String(i.path[0] ?? '');
      return `--${FLAG_OF[field] ?? field}: ${i.message}`;
    });
    throw new CliError(issues.join('; ') || describeIssues(parsed.error));
  }
  const config = parsed.data;
  const report = createProgressReporter(process.stderr);

  return withEngine(
    async (host) => {
      host.onEvent(report);
      // Ctrl+C stops at the next batch and still reports (and saves) what was trained.
      const onSigint = () => {
        process.stderr.write('\nstopping after this batch…\n');
        void host.request({ type: 'stop' }).catch(() => undefined);
      };
      process.on('SIGINT', onSigint);
      try {
        const summary = await host.request({ type: 'train', config });
        let saved: string | null = null;
        if (v.out) {
          const result = await host.request({
            type: 'save-model',
            dir: v.out,
            singleFile: v['single-file'],
          });
          saved = result.dir;
          process.stderr.write(`saved ${result.files.join(', ')} to ${result.dir}\n`);
        }
        if (v.json) {
          printJson({
            testAccuracy: summary.testAccuracy,
            testLoss: summary.testLoss,
            epochs: summary.epochs,
            trainSeconds: summary.trainSeconds,
            samplesPerSecond: summary.samplesPerSecond,
            stopped: summary.stopped,
            params: summary.params,
            model: saved,
            runId: summary.runId,
          });
        }
        return 0;
      } finally {
        process.off('SIGINT', onSigint);
      }
    },
    { runsDir: v['runs-dir'] },
  );
};
