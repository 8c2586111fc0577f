// Run folders under the runs directory: run.json (rewritten atomically), metrics.jsonl
// (append-only), checkpoint/ (see checkpoint.ts). Listing tolerates damage: a run whose
// run.json cannot be read is reported as damaged and the others still load.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  EpochMetricsSchema,
  RUN_ID_PATTERN,
  RunRecordSchema,
  type EpochMetrics,
  type RunRecord,
  type RunSummary,
} from '../shared/run-record';
import { describeIssues, type TrainingConfig } from '../shared/training-config';
import { writeFileAtomic } from './atomic-files';

/** Where runs live when the host does not say: $XDG_DATA_HOME/lenet-studio/runs. */
export function defaultRunsDir(): string {
  const base = process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'lenet-studio', 'runs');
}

function newRunId(preset: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${preset}-${randomBytes(3).toString('hex')}`;
}

export class RunStore {
  constructor(readonly root: string) {}

  dir(id: string): string {
    // Ids come from the UI: never let one name a path outside the runs directory.
    if (!RUN_ID_PATTERN.test(id)) throw new Error(`invalid run id "${id}"`);
    return path.join(this.root, id);
  }

  checkpointDir(id: string): string {
    return path.join(this.dir(id), 'checkpoint');
  }

  async create(
    config: TrainingConfig,
    dataset: { name: string; fingerprint: string },
    versions: RunRecord['versions'],
  ): Promise<RunRecord> {
    const id = newRunId(config.model);
    const now = new Date().toISOString();
    const record: RunRecord = {
      formatVersion: 1,
      id,
      name: `${config.model} · ${config.epochs} epoch${config.epochs === 1 ? '' : 's'} · lr ${config.learningRate}`,
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
    await fs.mkdir(temp, { recursive: true });
    await writeFileAtomic(path.join(temp, 'run.json'), `${JSON.stringify(record, null, 2)}\n`);
    await fs.rename(temp, this.dir(id));
    return record;
  }

  async write(record: RunRecord): Promise<void> {
    await writeFileAtomic(
      path.join(this.dir(record.id), 'run.json'),
      `${JSON.stringify(record, null, 2)}\n`,
    );
  }

  async update(id: string, patch: Partial<RunRecord>): Promise<RunRecord> {
    const next = { ...(await this.read(id)), ...patch, updatedAt: new Date().toISOString() };
    await this.write(next);
    return next;
  }

  async read(id: string): Promise<RunRecord> {
    const file = path.join(this.dir(id), 'run.json');
    let raw: unknown;
    try {
      raw = JSON.parse(await fs.readFile(file, 'utf8'));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new Error(
        code === 'ENOENT' ? `run ${id} has no run.json` : `run ${id}: run.json is not valid JSON`,
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
    await fs.appendFile(path.join(this.dir(id), 'metrics.jsonl'), `${JSON.stringify(metrics)}\n`);
  }

  /**
   * Per-epoch metrics. A torn last line (a crash mid-append) is skipped; a resumed run may have
   * logged an epoch twice (once before the crash), and the later line wins.
   */
  async metrics(id: string): Promise<EpochMetrics[]> {
    const text = await fs
      .readFile(path.join(this.dir(id), 'metrics.jsonl'), 'utf8')
      .catch(() => '');
    const byEpoch = new Map<number, EpochMetrics>();
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const parsed = EpochMetricsSchema.safeParse(JSON.parse(line));
        if (parsed.success) byEpoch.set(parsed.data.epoch, parsed.data);
      } catch {
        // torn line
      }
    }
    return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
  }

  /** Every run folder, newest first; damaged ones say what is wrong. */
  async list(): Promise<RunSummary[]> {
    const entries = await fs.readdir(this.root, { withFileTypes: true }).catch(() => []);
    const runs: RunSummary[] = [];
    for (const entry of entries) {
      if (!entry.isDirectory() || !RUN_ID_PATTERN.test(entry.name)) continue;
      try {
        runs.push({ id: entry.name, damaged: false, record: await this.read(entry.name) });
      } catch (err) {
        runs.push({ id: entry.name, damaged: true, error: (err as Error).message });
      }
    }
    return runs.sort((a, b) => b.id.localeCompare(a.id));
  }

  async rename(id: string, name: string): Promise<RunRecord> {
    return this.update(id, { name });
  }

  async remove(id: string): Promise<void> {
    const dir = this.dir(id);
    if (!(await fs.stat(dir).catch(() => null))) throw new Error(`run ${id} does not exist`);
    await fs.rm(dir, { recursive: true, force: true });
  }
}
