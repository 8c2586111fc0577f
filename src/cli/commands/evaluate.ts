import path from 'node:path';
import { writeFileAtomic } from '../../engine/atomic-files';
import { misclassifiedCsv } from '../../shared/csv';
import { CliError, num, parse, printJson, withEngine, type Command } from '../cli-common';

export const evaluate: Command = async (argv) => {
  const { values: v } = parse(argv, {
    model: { type: 'string' },
    data: { type: 'string' },
    'test-limit': { type: 'string' },
    misclassified: { type: 'string' },
    json: { type: 'boolean', default: false },
  } as const);
  if (!v.model) throw new CliError('--model DIR is required (a folder with model.json)');
  const testLimit = num(v['test-limit'], 'test-limit');
  const csvPath = v.misclassified ? path.resolve(v.misclassified) : null;
  return withEngine(async (host) => {
    await host.request({ type: 'load-model', dir: v.model as string });
    const result = await host.request({
      type: 'evaluate',
      dataset: v.data ? { kind: 'folder', path: v.data } : { kind: 'bundled' },
      testLimit,
      // The per-sample arrays only when a file asks for them.
      details: csvPath !== null,
      probabilities: csvPath !== null,
    });
    process.stderr.write(
      `test accuracy ${(result.testAccuracy * 100).toFixed(2)}% loss ${result.testLoss.toFixed(4)} on ${result.samples} samples\n`,
    );
    if (csvPath && result.details) {
      // Written aside and renamed into place: never a half-written CSV.
      await writeFileAtomic(csvPath, misclassifiedCsv(result.details));
      const wrong = result.samples - Math.round(result.testAccuracy * result.samples);
      process.stderr.write(`${wrong} misclassified samples written to ${csvPath}\n`);
    }
    if (v.json)
      printJson({
        testAccuracy: result.testAccuracy,
        testLoss: result.testLoss,
        samples: result.samples,
        confusion: result.confusion,
        perClass: result.perClass,
      });
    return 0;
  });
};
