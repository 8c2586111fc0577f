// Saving and loading models in the TensorFlow.js Layers format (model.json + weight shards),
// with the studio's metadata in model.json's userDefinedMetadata.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-node';
import { PREPROCESSING_SPEC } from '../../shared/model-metadata';
import {
  ModelPresetSchema,
  type ModelPreset,
  type TrainingConfig,
} from '../../shared/training-config';

export interface SaveInfo {
  preset: ModelPreset;
  config: TrainingConfig | null;
  datasetFingerprint: string | null;
  testAccuracy: number | null;
}

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}

/**
 * Writes the model into `dir` atomically: everything goes to a sibling temporary folder that is
 * renamed into place at the end, so a crash never leaves a half-written export. An existing
 * non-empty `dir` is never overwritten.
 */
export async function saveModelDir(
  model: tf.LayersModel,
  dir: string,
  info: SaveInfo,
): Promise<{ dir: string; files: string[] }> {
  const target = path.resolve(dir);
  if (await exists(target)) {
    const entries = await fs.readdir(target).catch(() => null);
    if (entries === null) throw new Error(`${target} exists and is not a folder`);
    if (entries.length > 0) throw new Error(`${target} is not empty; choose a new folder`);
  }
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temp = `${target}.partial-${process.pid}-${Date.now()}`;
  model.setUserDefinedMetadata({
    studio: {
      format: 'lenet-studio-model',
      formatVersion: 1,
      labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      inputShape: [28, 28, 1],
      preprocessing: PREPROCESSING_SPEC,
      preset: info.preset,
      config: info.config,
      datasetFingerprint: info.datasetFingerprint,
      metrics: { testAccuracy: info.testAccuracy },
      versions: { tfjs: tf.version['tfjs-node'] ?? tf.version.tfjs },
      savedAt: new Date().toISOString(),
    },
  });
  try {
    await model.save(`file://${temp}`);
    await fs.rm(target, { recursive: true, force: true }); // only ever an empty folder here
    await fs.rename(temp, target);
  } catch (err) {
    await fs.rm(temp, { recursive: true, force: true });
    throw err;
  }
  return { dir: target, files: (await fs.readdir(target)).sort() };
}

export interface LoadedModel {
  model: tf.LayersModel;
  preset: ModelPreset;
}

/** Loads a Layers-format folder and checks it takes 28×28×1 images and gives 10 classes. */
export async function loadModelDir(dir: string): Promise<LoadedModel> {
  const file = path.join(path.resolve(dir), 'model.json');
  if (!(await exists(file))) throw new Error(`${file} does not exist`);
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(`file://${file}`);
  } catch (err) {
    throw new Error(
      `${file}: cannot be loaded as a TensorFlow.js Layers model (${(err as Error).message})`,
    );
  }
  const input = model.inputs[0]?.shape ?? [];
  const output = model.outputs[0]?.shape ?? [];
  if (input.slice(1).join('x') !== '28x28x1' || output.slice(1).join('x') !== '10') {
    model.dispose();
    throw new Error(
      `${file}: the model takes [${input.join(',')}] and gives [${output.join(',')}]; the studio needs [null,28,28,1] → [null,10]`,
    );
  }
  const meta = model.getUserDefinedMetadata() as { studio?: { preset?: unknown } } | undefined;
  const preset = ModelPresetSchema.safeParse(meta?.studio?.preset);
  return { model, preset: preset.success ? preset.data : 'lenet5' };
}
