// What a killed delete, create or run.json write leaves behind is swept when runs are listed;
// nothing else in the runs folder is touched.
import { promises as fs, utimesSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunStore } from '../../src/engine/run-store';
import { TrainingConfigSchema } from '../../src/shared/training-config';
import { tempDir } from '../helpers/fixtures';

const exists = (p: string) =>
  fs.lstat(p).then(
    () => true,
    () => false,
  );
const versions = { studio: 'test', tfjs: 'test', tensorflow: 'test' };
const hourAgo = (p: string) => {
  const then = new Date(Date.now() - 60 * 60 * 1000);
  utimesSync(p, then, then);
};

async function storeWithRun() {
  const runs = await tempDir();
  const store = new RunStore(runs);
  const config = TrainingConfigSchema.parse({ epochs: 1 });
  const record = await store.create(config, { name: 'MNIST', fingerprint: 'f' }, versions);
  return { runs, store, id: record.id };
}

describe('run folder leftovers', () => {
  it('finishes a delete that was killed after its rename', async () => {
    const { runs, store, id } = await storeWithRun();
    const doomed = path.join(runs, `${id}.deleting-0123abcd~`);
    await fs.rename(path.join(runs, id), doomed);
    expect(await store.list()).toEqual([]);
    expect(await exists(doomed)).toBe(false);
  });

  it('removes a stale half-created run and a stale run.json temporary file, keeps fresh ones', async () => {
    const { runs, store, id } = await storeWithRun();
    const staleCreate = path.join(runs, '20260101-000000-lenet5-aaaaaa.creating~');
    const freshCreate = path.join(runs, '20260101-000001-lenet5-bbbbbb.creating~');
    await fs.mkdir(staleCreate);
    await fs.mkdir(freshCreate);
    hourAgo(staleCreate);
    const staleTemp = path.join(runs, id, 'run.json.tmp-0123456789ab');
    const freshTemp = path.join(runs, id, 'run.json.tmp-ba9876543210');
    await fs.writeFile(staleTemp, '{"half');
    await fs.writeFile(freshTemp, '{"being written');
    hourAgo(staleTemp);

    const listed = await store.list();
    expect(listed.map((r) => r.id)).toEqual([id]);
    expect(await exists(staleCreate)).toBe(false);
    expect(await exists(staleTemp)).toBe(false);
    expect(await exists(freshCreate)).toBe(true);
    expect(await exists(freshTemp)).toBe(true);
  });

  it('touches nothing it did not name: other files, look-alike names and links survive', async () => {
    const { runs, store, id } = await storeWithRun();
    const outside = await tempDir();
    await fs.writeFile(path.join(outside, 'precious.txt'), 'keep');
    const keepFolders = [
      path.join(runs, 'notes.deleting-0123abcd~'),
      path.join(runs, `${id}.deleting~`),
    ];
    const keepFiles = [
      path.join(runs, id, 'run.json.tmp-short'),
      path.join(runs, id, 'mine.tmp-0123456789ab'),
    ];
    for (const folder of keepFolders) await fs.mkdir(folder);
    for (const file of keepFiles) await fs.writeFile(file, 'x');
    const keep = [...keepFolders, ...keepFiles];
    const link = path.join(runs, `${id}.deleting-feedbeef~`);
    await fs.symlink(outside, link);
    for (const p of [...keep, link]) hourAgo(p);

    await store.list();
    for (const p of keep) expect(await exists(p), p).toBe(true);
    expect(await exists(link)).toBe(true);
    expect(await fs.readFile(path.join(outside, 'precious.txt'), 'utf8')).toBe('keep');
  });
});
