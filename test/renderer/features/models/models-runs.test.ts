import { describe, expect, it } from 'vitest';
import type { RunRecord, RunSummary } from '../../../../src/shared/run-record';
import {
  epochsText,
  formatRunDate,
  toRunRow,
  toRunRows,
  validateRunName,
} from '../../../../src/renderer/src/features/models/models-runs';
import { runRecord } from '../../run-record-fixture';

function summary(overrides: Partial<RunRecord> = {}): RunSummary {
  const r = runRecord(overrides);
  return { id: r.id, damaged: false, record: r };
}

const idle = { currentRunId: null, training: false };

describe('run rows', () => {
  it('shows a completed run with its numbers and every action but resume', () => {
    const row = toRunRow(summary(), idle);
    expect(row).toMatchObject({
      name: 'lenet5 · 3 epochs · lr 0.003',
      status: 'completed',
      statusLabel: 'Completed',
      tone: 'success',
      reason: null,
      bestValAccuracy: '98.76%',
      testAccuracy: '98.12%',
      model: 'lenet5',
      current: false,
      canRename: true,
      canDelete: true,
      canOpen: true,
      canExport: true,
      canResume: false,
      canCompare: true,
    });
    expect(epochsText(row)).toBe('3 / 3');
  });

  it('explains an interrupted run and offers to resume it', () => {
    const row = toRunRow(
      summary({ status: 'interrupted', epochsCompleted: 1, testAccuracy: null }),
      idle,
    );
    expect(row.statusLabel).toBe('Interrupted');
    expect(row.tone).toBe('warn');
    expect(row.reason).toMatch(/after 1 of 3 epochs/);
    expect(row.testAccuracy).toBe('–');
    expect(row.canResume).toBe(true);
    expect(epochsText(row)).toBe('1 / 3');
  });

  it('cannot resume a run cut off before its first checkpoint', () => {
    const row = toRunRow(
      summary({ status: 'interrupted', epochsCompleted: 0, hasCheckpoint: false }),
      idle,
    );
    expect(row.reason).toMatch(/before its first checkpoint/);
    expect(row.canResume).toBe(false);
    expect(row.canOpen).toBe(false);
    expect(row.canExport).toBe(false);
  });

  it('resumes stopped and failed runs and shows why a run failed', () => {
    expect(toRunRow(summary({ status: 'stopped' }), idle).canResume).toBe(true);
    const failed = toRunRow(summary({ status: 'failed', error: 'loss became NaN' }), idle);
    expect(failed.reason).toBe('loss became NaN');
    expect(failed.tone).toBe('danger');
    expect(failed.canResume).toBe(true);
  });

  it('locks loading, exporting and resuming while the engine trains', () => {
    const context = { currentRunId: null, training: true };
    const done = toRunRow(summary(), context);
    expect(done.canOpen).toBe(false);
    expect(done.canExport).toBe(false);
    expect(done.canDelete).toBe(true);
    const running = toRunRow(summary({ status: 'running' }), context);
    expect(running.statusLabel).toBe('Training');
    expect(running.active).toBe(true);
    expect(running.canDelete).toBe(false);
    expect(toRunRow(summary({ status: 'stopped' }), context).canResume).toBe(false);
  });

  it('names the data each run was trained on, known datasets by their fingerprint', () => {
    expect(
      toRunRow(summary({ dataset: { name: 'my-digits', fingerprint: 'f' } }), idle),
    ).toMatchObject({
      dataset: 'my-digits',
    });
    const fashion = {
      name: 'fashion-mnist',
      fingerprint: 'sha256:ca3ab2a37f845e1b8ae23cab1b51749a3011ba3bf1d9016176d75cbaabac376f',
    };
    expect(toRunRow(summary({ dataset: fashion }), idle).dataset).toBe('Fashion-MNIST');
  });

  it('marks the current model', () => {
    const rows = toRunRows([summary({ id: 'a' }), summary({ id: 'b' })], {
      currentRunId: 'b',
      training: false,
    });
    expect(rows.map((r) => r.current)).toEqual([false, true]);
  });

  it('shows a damaged run with its reason; it can only be deleted', () => {
    const row = toRunRow(
      { id: 'broken', damaged: true, error: 'run broken: run.json is not valid JSON' },
      idle,
    );
    expect(row).toMatchObject({
      name: 'broken',
      status: 'damaged',
      statusLabel: 'Damaged',
      tone: 'danger',
      reason: 'run broken: run.json is not valid JSON',
      canDelete: true,
      canRename: false,
      canOpen: false,
      canResume: false,
      canExport: false,
      canCompare: false,
    });
    expect(epochsText(row)).toBe('–');
  });
});

describe('run names and dates', () => {
  it('validates names', () => {
    expect(validateRunName('  best run ')).toEqual({ ok: true, name: 'best run' });
    expect(validateRunName('   ')).toEqual({ ok: false, error: 'A name cannot be empty.' });
    expect(validateRunName('x'.repeat(201))).toMatchObject({ ok: false });
    expect(validateRunName('x'.repeat(200))).toMatchObject({ ok: true });
  });

  it('formats dates in local time and passes bad ones through', () => {
    const local = new Date(2025, 0, 2, 9, 5);
    expect(formatRunDate(local.toISOString())).toBe('2025-01-02 09:05');
    expect(formatRunDate('yesterday')).toBe('yesterday');
  });
});
