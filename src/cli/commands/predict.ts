import path from 'node:path';
import { MAX_CLASSIFY_FILES, type FileClassification } from '../../shared/engine-protocol';
import { CLASSIFICATION_CSV_HEADER, classificationCsvRow, csvRow } from '../../shared/csv';
import { className, classNamesOf } from '../../shared/dataset-identity';
import { openAtomicWriter } from '../../engine/atomic-files';
import { CliError, parse, printJson, withEngine, type Command } from '../cli-common';
import { walkImageFiles } from '../walk-files';

export const predict: Command = async (argv) => {
  const { values: v, positionals } = parse(
    argv,
    {
      model: { type: 'string' },
      csv: { type: 'string' },
      json: { type: 'boolean', default: false },
    } as const,
    true,
  );
  if (!v.model) throw new CliError('--model DIR is required (a folder with model.json)');
  if (positionals.length === 0) throw new CliError('name at least one image file or folder');

  return withEngine(async (host) => {
    const model = await host.request({ type: 'load-model', dir: v.model as string });
    // The model's class names (Fashion-MNIST's, an image folder's; else the digits) name the
    // predictions and the folders that label files.
    const classNames = classNamesOf(model.dataset);
    // The CSV is written to a temporary file (random name, created exclusively) and renamed at
    // the end: no half-written results; a write error (a full disk) names the CSV file.
    const csvPath = v.csv ? path.resolve(v.csv) : null;
    const csv = csvPath ? await openAtomicWriter(csvPath) : null;
    let classified = 0;
    let refused = 0;
    const write = async (results: FileClassification[]) => {
      for (const r of results) {
        if (r.error) {
          refused++;
          process.stderr.write(`${r.path}: ${r.error}\n`);
        } else {
          classified++;
          if (!v.json && !csv)
            process.stdout.write(
              `${r.path}\t${r.predicted === null ? '' : className(classNames, r.predicted)}\t${r.confidence?.toFixed(4)}\n`,
            );
        }
      }
      if (csv)
        await csv.write(results.map((r) => `${classificationCsvRow(r, classNames)}\n`).join(''));
    };
    try {
      if (csv) await csv.write(`${csvRow([...CLASSIFICATION_CSV_HEADER])}\n`);
      // Stream the files in chunks: memory stays flat however large the folder.
      let chunk: string[] = [];
      for await (const file of walkImageFiles(positionals)) {
        chunk.push(file);
        if (chunk.length === MAX_CLASSIFY_FILES) {
          await write(await host.request({ type: 'classify-files', paths: chunk }));
          chunk = [];
        }
      }
      if (chunk.length > 0)
        await write(await host.request({ type: 'classify-files', paths: chunk }));
      if (csv) await csv.commit();
    } catch (err) {
      if (csv) await csv.abort();
      throw err;
    }
    process.stderr.write(`${classified} classified, ${refused} refused\n`);
    if (v.json) printJson({ classified, refused, csv: csvPath });
    return 0;
  });
};
