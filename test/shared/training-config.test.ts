import { describe, expect, it } from 'vitest';
import { learningRateAt } from '../../src/shared/lr-schedule';
import { createRng, shuffledIndices } from '../../src/shared/random';
import { createThrottle, etaSeconds } from '../../src/shared/throttle';
import { TrainingConfigSchema, TRAINING_DEFAULTS } from '../../src/shared/training-config';
import { describeIssues } from '../../src/shared/zod-messages';

describe('TrainingConfigSchema', () => {
  it('fills in the defaults', () => {
    expect(TrainingConfigSchema.parse({})).toMatchObject({
      ...TRAINING_DEFAULTS,
      dataset: { kind: 'bundled' },
    });
  });

  it('names every bad field', () => {
    const parsed = TrainingConfigSchema.safeParse({
      batchSize: 0,
      optimizer: 'rmsprop',
      epochs: 1.5,
      extra: 1,
    });
    expect(parsed.success).toBe(false);
    expect(describeIssues(parsed.error as NonNullable<typeof parsed.error>, 'config')).toMatch(
      /optimizer: .*batchSize: .*>=\s*1.*epochs: .*int.*config: Unrecognized key.*extra/s,
    );
  });
});

describe('pure helpers', () => {
  it('the seeded generator and shuffle are reproducible and are permutations', () => {
    const a = shuffledIndices(100, createRng(5));
    expect(Array.from(a)).toEqual(Array.from(shuffledIndices(100, createRng(5))));
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(a)).not.toEqual(Array.from(shuffledIndices(100, createRng(6))));
  });

  it('cosine decays from the base rate to 5% of it; constant stays', () => {
    const cfg = { learningRate: 0.01, lrSchedule: 'cosine' as const };
    expect(learningRateAt(cfg, 0, 100)).toBeCloseTo(0.01);
    expect(learningRateAt(cfg, 99, 100)).toBeCloseTo(0.0005);
    expect(learningRateAt({ ...cfg, lrSchedule: 'constant' }, 50, 100)).toBe(0.01);
  });

  it('throttle lets one emission through per interval; eta extrapolates', () => {
    const t = createThrottle(100);
    expect([0, 50, 99, 100, 150, 250].map((ms) => t.due(ms))).toEqual([
      true,
      false,
      false,
      true,
      false,
      true,
    ]);
    expect(etaSeconds(25, 100, 10)).toBe(30);
    expect(etaSeconds(0, 100, 0)).toBe(0);
  });
});
