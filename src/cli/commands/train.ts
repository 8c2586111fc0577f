import type { TrainingConfigInput } from '../../shared/training-config';
import { TrainingConfigSchema } from '../../shared/training-config';
import { describeIssues } from '../../shared/zod-messages';
import { CliError, parse, printJson, withEngine, type Command } from '../cli-common';
import { withPresetDefaults } from '../../shared/training-options';
import { createProgressReporter } from '../progress-bar';
import { configFromFlags, flagOf, TRAIN_FLAGS, trainHelp } from '../train-flags';

export const train: Command = async (argv) => {
  const { values: v } = parse(argv, TRAIN_FLAGS);
  if (v.help) {
    process.stdout.write(`${trainHelp()}\n`);
    return 0;
  }
  const input: Record<string, unknown> = {
    ...withPresetDefaults(configFromFlags(v)),
    ...(v.data ? { dataset: { kind: 'folder', path: v.data } } : {}),
  };
  const parsed = TrainingConfigSchema.safeParse(input as TrainingConfigInput);
  if (!parsed.success) {
    // Name the command-line flag, not the internal field.
    const issues = parsed.error.issues.map(
      (i) => `--${flagOf(String(i.path[0] ?? ''))}: ${i.message}`,
    );
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
            // With --early-stop: the epoch whose weights were kept, and whether it stopped early.
            ...(summary.earlyStop ? { earlyStop: summary.earlyStop } : {}),
          });
        }
        return 0;
      } finally {
        process.off('SIGINT', onSigint);
      }
    },
    { runsDir: v['runs-dir'], trains: true },
  );
};
