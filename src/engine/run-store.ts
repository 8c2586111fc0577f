// Run folders under the runs directory: run.json (rewritten atomically), metrics.jsonl and
// batches.jsonl (append-only), checkpoint/ (see checkpoint.ts). Listing tolerates damage: a run whose
// run.json cannot be read is reported as damaged and the others still load.
import { randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { datasetDisplayName, type DatasetIdentity } from '../shared/dataset-identity';
import { latestBatches, thinBatches } from '../shared/batch-history';
import {
  BatchPointSchema,
  EpochMetricsSchema,
  formatRunId,
  RUN_ID_PATTERN,
  RunRecordSchema,
  type BatchPoint,
  type EpochMetrics,
  type RunBatches,
  type RunRecord,
  type RunSummary,
} from '../shared/run-record';
import type { z } from 'zod';
import { parseJson } from '../shared/safe-json';
import type { TrainingConfig } from '../shared/training-config';
import { describeIssues } from '../shared/zod-messages';
import { FileWriteError, writeFileAtomic } from './atomic-files';
import { readSmallFile } from './read-files';

/**
 * run.json is a few KB; metrics.jsonl a line per epoch; batches.jsonl ~150 bytes per progress
 * point (~10 a second: 64 MiB is some 100 hours of training). Caps far above all three.
 */
const MAX_RUN_JSON_BYTES = 1024 * 1024;
const MAX_METRICS_BYTES = 64 * 1024 * 1024;
const MAX_BATCHES_BYTES = 64 * 1024 * 1024;

/** Where runs live when the host does not say: $XDG_DATA_HOME/lenet-studio/runs. */
export function defaultRunsDir(): string {
  const base = process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'lenet-studio', 'runs');
}

/** Names only remove(), create() and writeFileAtomic() generate; nothing else is ever swept. */
const LEFTOVER_PATTERN = new RegExp(
  `^${RUN_ID_PATTERN.source.replace(/^\^|\$$/g, '')}\\.(?:deleting-[0-9a-f]{8}|creating)~$`,
);
const TEMP_FILE_PATTERN = /^run\.json\.tmp-[0-9a-f]{12}$/;
const STALE_TEMP_MS = 10 * 60 * 1000;

/** e.g. `lenet5 · Fashion-MNIST · 2 epochs · lr 0.001`: runs on different data read apart. */
export function autoRunName(config: TrainingConfig, dataset: DatasetIdentity): string {
  const epochs = `${config.epochs} epoch${config.epochs === 1 ? '' : 's'}`;
  return `${config.model} · ${datasetDisplayName(dataset)} · ${epochs} · lr ${config.learningRate}`;
}

function newRunId(preset: string): string {
  return formatRunId(new Date(), preset, randomBytes(3).toString('hex'));
}

/**
 * Updates of one run's run.json, chained per run folder: each is a read-modify-write, and two
 * interleaved ones (a rename while training records an epoch) would lose one of them. Keyed by
 * the folder's path, so every RunStore in this process shares the chain.
 */
const runQueues = new Map<string, Promise<unknown>>();
function serialised<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = runQueues.get(key) ?? Promise.resolve();
  const next = previous.then(task, task);
  const settled = next.catch(() => undefined);
  runQueues.set(key, settled);
  void settled.then(() => {
    if (runQueues.get(key) === settled) runQueues.delete(key);
  });
  return next;
}

export class RunStore {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /**
   * The folder of run `id`, checked: the id has the generated format, and the folder is a real
   * folder (not a symlink) directly inside the runs folder once every link on the way is
   * resolved. Every method that touches a run goes through here. Ids come from requests:
   * `..` once deleted the runs folder's parent.
   */
  async runDir(id: string): Promise<string> {
    if (!RUN_ID_PATTERN.test(id)) throw new Error(`invalid run id "${id.slice(0, 80)}"`);
    const dir = path.join(this.root, id);
    if (path.dirname(dir) !== this.root) throw new Error(`invalid run id "${id}"`);
    const stat = await fs.lstat(dir).catch(() => null);
    if (!stat) throw new Error(`run ${id} does not exist`);
    if (!stat.isDirectory()) throw new Error(`run ${id} is not a run folder (a link or a file)`);
    const [real, realRoot] = await Promise.all([fs.realpath(dir), fs.realpath(this.root)]);
    if (path.dirname(real) !== realRoot) throw new Error(`run ${id} is not a run folder`);
    return dir;
  }

  private queueKey(id: string): string {
    if (!RUN_ID_PATTERN.test(id)) throw new Error(`invalid run id "${id.slice(0, 80)}"`);
    return path.join(this.root, id);
  }

  async checkpointDir(id: string): Promise<string> {
    return path.join(await this.runDir(id), 'checkpoint');
  }

  async create(
    config: TrainingConfig,
    dataset: DatasetIdentity,
    versions: RunRecord['versions'],
  ): Promise<RunRecord> {
    const id = newRunId(config.model);
    const now = new Date().toISOString();
    const record: RunRecord = {
      formatVersion: 1,
      id,
      name: autoRunName(config, dataset),
      createdAt: now,
      updatedAt: now,
      status: 'running',
      config,
      dataset,
      versions,
      epochsCompleted: 0,
      bestValAccuracy: null,
      testAccuracy: null,
      testLoss: null,
      error: null,
      hasCheckpoint: false,
    };
    // The folder appears with its run.json already inside: a reader never sees a run folder
    // without one. ('~' keeps the temporary name out of listings.)
    const temp = path.join(this.root, `${id}.creating~`);
    await fs.mkdir(this.root, { recursive: true });
    await fs.mkdir(temp); // exclusive: never a folder someone else made or linked in
    await writeFileAtomic(path.join(temp, 'run.json'), `${JSON.stringify(record, null, 2)}\n`);
    await fs.rename(temp, path.join(this.root, id));
    return record;
  }

  /** Applies `patch` to run.json, after every earlier update of this run has landed. */
  async update(id: string, patch: Partial<RunRecord>): Promise<RunRecord> {
    // Queued before any await: updates land in the order they were asked for.
    return serialised(this.queueKey(id), async () => {
      const dir = await this.runDir(id);
      const next = { ...(await this.read(id)), ...patch, id, updatedAt: new Date().toISOString() };
      await writeFileAtomic(path.join(dir, 'run.json'), `${JSON.stringify(next, null, 2)}\n`);
      return next;
    });
  }

  async read(id: string): Promise<RunRecord> {
    const file = path.join(await this.runDir(id), 'run.json');
    let raw: unknown;
    try {
      raw = parseJson(await readSmallFile(file, MAX_RUN_JSON_BYTES), `run ${id}: run.json`);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new Error(`run ${id} has no run.json`);
      throw new Error(
        code ? `run ${id}: run.json cannot be read (${code})` : (err as Error).message,
      );
    }
    const parsed = RunRecordSchema.safeParse(raw);
    if (!parsed.success)
      throw new Error(
        `run ${id}: run.json is damaged (${describeIssues(parsed.error, 'run.json')})`,
      );
    return parsed.data;
  }

  async appendEpoch(id: string, metrics: EpochMetrics): Promise<void> {
    await this.appendLines(id, 'metrics.jsonl', [metrics]);
  }

  /** Batch progress points, appended as whole lines in one write (see batch-log.ts). */
  async appendBatches(id: string, points: readonly BatchPoint[]): Promise<void> {
    if (points.length > 0) await this.appendLines(id, 'batches.jsonl', points);
  }

  private async appendLines(id: string, name: string, values: readonly unknown[]): Promise<void> {
    const file = path.join(await this.runDir(id), name);
    // O_NOFOLLOW: a link planted in the file's place cannot redirect the append elsewhere.
    const flags =
      constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;
    const text = values.map((value) => `${JSON.stringify(value)}\n`).join('');
    await fs.appendFile(file, text, { flag: flags }).catch((err: unknown) => {
      throw new FileWriteError(file, (err as NodeJS.ErrnoException).code);
    });
  }

  /** The lines of an append-only file that parse with `schema`; a missing file has none. */
  private async readLines<T>(
    id: string,
    name: string,
    maxBytes: number,
    schema: z.ZodType<T>,
  ): Promise<T[]> {
    const file = path.join(await this.runDir(id), name);
    const text = await readSmallFile(file, maxBytes).catch((err: unknown) => {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw err;
    });
    const out: T[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const parsed = schema.safeParse(JSON.parse(line));
        if (parsed.success) out.push(parsed.data);
      } catch {
        // a torn line (a crash mid-append)
      }
    }
    return out;
  }

  /**
   * Per-epoch metrics. A torn last line (a crash mid-append) is skipped; a resumed run may have
   * logged an epoch twice (once before the crash), and the later line wins.
   */
  async metrics(id: string): Promise<EpochMetrics[]> {
    const lines = await this.readLines(id, 'metrics.jsonl', MAX_METRICS_BYTES, EpochMetricsSchema);
    const byEpoch = new Map<number, EpochMetrics>();
    for (const m of lines) byEpoch.set(m.epoch, m);
    return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
  }

  /**
   * The batch history, at most `limit` points (a longer one thinned evenly, each epoch's last
   * point kept). Torn and invalid lines are skipped; batches a resumed run trained again replace
   * the first attempt's. A run recorded before batches.jsonl existed has none.
   */
  async batches(id: string, limit: number): Promise<RunBatches> {
    const lines = await this.readLines(id, 'batches.jsonl', MAX_BATCHES_BYTES, BatchPointSchema);
    const history = latestBatches(lines);
    return { points: thinBatches(history, limit), total: history.length };
  }

  /** Every run folder, newest first; damaged ones say what is wrong. */
  async list(): Promise<RunSummary[]> {
    const entries = await fs.readdir(this.root, { withFileTypes: true }).catch(() => []);
    const runs: RunSummary[] = [];
    for (const entry of entries) {
      if (entry.isDirectory() && LEFTOVER_PATTERN.test(entry.name)) {
        await this.sweepLeftoverFolder(entry.name);
        continue;
      }
      if (!entry.isDirectory() || !RUN_ID_PATTERN.test(entry.name)) continue;
      await this.sweepTempFiles(entry.name);
      try {
        runs.push({ id: entry.name, damaged: false, record: await this.read(entry.name) });
      } catch (err) {
        runs.push({ id: entry.name, damaged: true, error: (err as Error).message });
      }
    }
    return runs.sort((a, b) => b.id.localeCompare(a.id));
  }

  /**
   * A delete killed between its rename and its removal left `<id>.deleting-<hex>~`: the person
   * asked for it to go and nothing reads it, so the removal is finished here. A create killed
   * before its rename left `<id>.creating~`, a run that never started; one older than
   * STALE_TEMP_MS is not a create in progress. Only names remove() and create() generate are
   * touched, and only real folders (never a link's target).
   */
  private async sweepLeftoverFolder(name: string): Promise<void> {
    const folder = path.join(this.root, name);
    const stat = await fs.lstat(folder).catch(() => null);
    if (!stat?.isDirectory()) return;
    if (name.endsWith('.creating~') && Date.now() - stat.mtimeMs <= STALE_TEMP_MS) return;
    await fs.rm(folder, { recursive: true, force: true }).catch(() => {});
  }

  /**
   * A write killed before its rename left `run.json.tmp-<hex>` (writeFileAtomic's exclusive
   * temporary file) beside run.json. One older than STALE_TEMP_MS cannot belong to a write in
   * progress (each takes milliseconds), so it is removed; a fresh one is left to its writer.
   */
  private async sweepTempFiles(id: string): Promise<void> {
    const dir = path.join(this.root, id);
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      if (!TEMP_FILE_PATTERN.test(name)) continue;
      const file = path.join(dir, name);
      const stat = await fs.lstat(file).catch(() => null);
      if (stat?.isFile() && Date.now() - stat.mtimeMs > STALE_TEMP_MS)
        await fs.rm(file, { force: true }).catch(() => {});
    }
  }

  async rename(id: string, name: string): Promise<RunRecord> {
    return this.update(id, { name });
  }

  /** Deletes a run: only a real folder directly in the runs folder that holds a run.json. */
  async remove(id: string): Promise<void> {
    await serialised(this.queueKey(id), async () => {
      const dir = await this.runDir(id);
      const runJson = await fs.lstat(path.join(dir, 'run.json')).catch(() => null);
      if (!runJson?.isFile()) throw new Error(`run ${id} has no run.json; not deleting ${dir}`);
      // Moved out of the listing first, then removed: a crash midway leaves no half-run.
      const doomed = path.join(this.root, `${id}.deleting-${randomBytes(4).toString('hex')}~`);
      await fs.rename(dir, doomed);
      await fs.rm(doomed, { recursive: true, force: true });
    });
  }
}
