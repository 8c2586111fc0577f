import { parse, printJson, withEngine, type Command } from '../cli-common';
import { formatTable } from '../format-table';
import { createProgressReporter } from '../progress-bar';

/** Lists recorded runs. */
export const runs: Command = async (argv) => {
  const { values: v } = parse(argv, {
    'runs-dir': { type: 'string' },
    json: { type: 'boolean', default: false },
  } as const);
  return withEngine(
    async (host) => {
      const list = await host.request({ type: 'list-runs' });
      const rows = list.map((r) =>
        r.damaged
          ? [r.id, 'damaged', '', '', r.error]
          : [
              r.id,
              r.record.status,
              `${r.record.epochsCompleted}/${r.record.config.epochs}`,
              r.record.testAccuracy === null ? '' : `${(r.record.testAccuracy * 100).toFixed(2)}%`,
              r.record.name,
            ],
      );
      process.stderr.write(formatTable(['run', 'status', 'epochs', 'test acc', 'name'], rows));
      if (v.json) printJson({ runs: list });
      return 0;
    },
    { runsDir: v['runs-dir'] },
  );
};

/** Continues an interrupted or stopped run from its last checkpoint. */
export const resume: Command = async (argv) => {
  const { values: v } = parse(argv, {
    run: { type: 'string' },
    'runs-dir': { type: 'string' },
    json: { type: 'boolean', default: false },
  } as const);
  if (!v.run) throw new Error('--run ID is required (see `npm run cli -- runs`)');
  return withEngine(
    async (host) => {
      host.onEvent(createProgressReporter(process.stderr));
      const summary = await host.request({ type: 'resume-run', runId: v.run as string });
      if (v.json) printJson(summary);
      return 0;
    },
    { runsDir: v['runs-dir'], trains: true },
  );
};
