import { CliError, parse, printJson, withEngine, type Command } from '../cli-common';

/** Exports a model folder/file or a recorded run to a new folder or single .json file. */
export const exportModel: Command = async (argv) => {
  const { values: v } = parse(argv, {
    model: { type: 'string' },
    run: { type: 'string' },
    out: { type: 'string' },
    'single-file': { type: 'boolean', default: false },
    'runs-dir': { type: 'string' },
    json: { type: 'boolean', default: false },
  } as const);
  if (!v.out)
    throw new CliError(
      '--out PATH is required (a new folder, or a new .json file with --single-file)',
    );
  if (Boolean(v.model) === Boolean(v.run))
    throw new CliError('name exactly one of --model DIR|FILE and --run ID');
  return withEngine(
    async (host) => {
      if (v.run) await host.request({ type: 'load-run', runId: v.run });
      else await host.request({ type: 'load-model', dir: v.model as string });
      const result = await host.request({
        type: 'save-model',
        dir: v.out as string,
        singleFile: v['single-file'],
      });
      process.stderr.write(`exported ${result.files.join(', ')} to ${result.dir}\n`);
      if (v.json) printJson(result);
      return 0;
    },
    { runsDir: v['runs-dir'] },
  );
};
