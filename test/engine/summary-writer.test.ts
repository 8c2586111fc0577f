// The summary writer frees everything it made: tfjs-node's own summaryFileWriter left five
// tensors per run folder in the engine for the life of the process (a leak the full-MNIST test
// caught: 15 tensors resident after a run instead of the model's 10).
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-node';
import { describe, expect, it } from 'vitest';
import { openSummaryWriter } from '../../src/engine/summary-writer';
import { tempDir } from '../helpers/fixtures';

describe('openSummaryWriter', () => {
  it('leaves no tensor behind once closed, and the same folder can be opened again', () => {
    const logdir = tempDir('lenet-summary-');
    const before = tf.memory().numTensors;
    const weights = tf.randomNormal([5, 5]);
    for (let round = 1; round <= 2; round++) {
      const writer = openSummaryWriter(logdir);
      writer.scalar('loss', 1 / round, round);
      writer.histogram('weights', weights, round);
      writer.close();
      writer.close(); // a second close does nothing
      writer.scalar('loss', 0, 99); // nor does a write after it
    }
    weights.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const files = readdirSync(logdir).filter((f) => f.startsWith('events.out.tfevents.'));
    expect(files.length).toBeGreaterThanOrEqual(1);
    expect(files.every((f) => statSync(path.join(logdir, f)).size > 0)).toBe(true);
  });
});
