// Checkpoints: the model's weights (Layers format), the optimizer's slots and the position in
// the data, written as one folder that is swapped in atomically, so killing the engine (or the
// whole app) at any moment leaves the previous checkpoint intact and readable.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs-node';
import { CheckpointStateSchema, type CheckpointState } from '../shared/run-record';
import { describeIssues } from '../shared/zod-messages';
import { parseJson } from '../shared/safe-json';
import { readableFolder, replaceFolderAtomic, writeNewFile } from './atomic-files';
import { loadModelDir, MAX_WEIGHT_BYTES, writeModelFiles } from './model-files';
import { readRegularFile, readSmallFile } from './read-files';

/** state.json is ~2 KB; optimizer.bin holds at most a few slots per weight. */
const MAX_STATE_BYTES = 1024 * 1024;
const MAX_OPTIMIZER_BYTES = 4 * MAX_WEIGHT_BYTES;

export interface OptimizerSlots {
  kind: 'native' | 'portable';
  slots: Array<{ name: string; shape: number[]; values: Float32Array }>;
}

export interface Checkpoint {
  state: CheckpointState;
  optimizer: OptimizerSlots;
}

export async function saveCheckpoint(
  dir: string,
  model: tf.LayersModel,
  state: Omit<CheckpointState, 'optimizer' | 'formatVersion' | 'savedAt'>,
  optimizer: OptimizerSlots,
): Promise<void> {
  const full: CheckpointState = {
    ...state,
    formatVersion: 1,
    savedAt: new Date().toISOString(),
    optimizer: {
      kind: optimizer.kind,
      slots: optimizer.slots.map(({ name, shape }) => ({ name, shape })),
    },
  };
  await replaceFolderAtomic(dir, async (temp) => {
    await writeModelFiles(model, temp);
    const bytes = Buffer.concat(
      optimizer.slots.map((s) =>
        Buffer.from(s.values.buffer, s.values.byteOffset, s.values.byteLength),
      ),
    );
    await writeNewFile(path.join(temp, 'optimizer.bin'), bytes);
    await writeNewFile(path.join(temp, 'state.json'), `${JSON.stringify(full, null, 2)}\n`);
  });
}

/** Loads the last complete checkpoint in `dir`: the model (validated) and the training state. */
export async function loadCheckpoint(dir: string): Promise<Checkpoint & { model: tf.LayersModel }> {
  const folder = await readableFolder(dir);
  if (!folder) throw new Error(`no checkpoint in ${dir}`);
  const stateFile = path.join(folder, 'state.json');
  const raw = parseJson(await readSmallFile(stateFile, MAX_STATE_BYTES), stateFile);
  const parsed = CheckpointStateSchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(`${stateFile} is damaged: ${describeIssues(parsed.error, 'state.json')}`);
  const state = parsed.data;
  const expected = state.optimizer.slots.reduce(
    (n, s) => n + 4 * s.shape.reduce((a, b) => a * b, 1),
    0,
  );
  const optimizerFile = path.join(folder, 'optimizer.bin');
  const size = (await fs.stat(optimizerFile).catch(() => null))?.size ?? 0;
  if (size !== expected) {
    throw new Error(
      `${folder}: optimizer.bin holds ${size} bytes, state.json declares ${expected}`,
    );
  }
  const bytes = await readRegularFile(optimizerFile, {
    maxBytes: MAX_OPTIMIZER_BYTES,
    expectedBytes: expected,
  });
  // Copy out of the file buffer: Float32Array views need 4-byte alignment.
  const all = new Float32Array(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
  );
  let offset = 0;
  const slots = state.optimizer.slots.map(({ name, shape }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = all.slice(offset, offset + size);
    offset += size;
    return { name, shape, values };
  });
  const { model } = await loadModelDir(folder);
  return { state, optimizer: { kind: state.optimizer.kind, slots }, model };
}
