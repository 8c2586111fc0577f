import { CliError, num, parse, printJson, withEngine, type Command } from '../cli-common';

export const evaluate: Command = async (argv) => {
  const { values: v } = parse(argv, {
    model: { type: 'string' },
    data: { type: 'string' },
    'test-limit': { type: 'string' },
    json: { type: 'boolean', default: false },
  } as const);
  if (!v.model) throw new CliError('--model DIR is required (a folder with model.json)');
  const testLimit = num(v['test-limit'], 'test-limit');
  return withEngine(async (host) => {
    await host.request({ type: 'load-model', dir: v.model as string });
    const result = await host.request({
      type: 'evaluate',
      dataset: v.data ? { kind: 'folder', path: v.data } : { kind: 'bundled' },
      testLimit,
    });
    process.stderr.write(
      `test accuracy ${(result.testAccuracy * 100).toFixed(2)}% loss ${result.testLoss.toFixed(4)} on ${result.samples} samples\n`,
    );
    if (v.json)
      printJson({
        testAccuracy: result.testAccuracy,
        testLoss: result.testLoss,
        samples: result.samples,
      });
    return 0;
  });
};
