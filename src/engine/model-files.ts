// Saving and loading models in the TensorFlow.js Layers format (model.json + weight shards),
// with the studio's metadata in model.json's userDefinedMetadata.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { io } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-node';

type ModelArtifacts = io.ModelArtifacts;
import { app } from '../shared/app-info';
import { PREPROCESSING_SPEC } from '../shared/model-metadata';
import { tensorflowVersion, tfjsVersion } from './versions';
import {
  findNonFinite,
  ModelJsonSchema,
  weightByteLength,
  weightSpecs,
  type ModelJson,
} from '../shared/model-json';
import {
  describeIssues,
  ModelPresetSchema,
  type ModelPreset,
  type TrainingConfig,
} from '../shared/training-config';

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
  model.setUserDefinedMetadata(studioMetadata(info));
  try {
    await fs.mkdir(temp);
    await writeModelFiles(model, temp);
    await fs.rm(target, { recursive: true, force: true }); // only ever an empty folder here
    await fs.rename(temp, target);
  } catch (err) {
    await fs.rm(temp, { recursive: true, force: true });
    throw err;
  }
  return { dir: target, files: (await fs.readdir(target)).sort() };
}

/**
 * The single-file variant: model.json with the weights embedded as base64 in `weightData`.
 * Written to a temporary file and renamed; an existing file is never overwritten.
 */
export async function saveModelFile(
  model: tf.LayersModel,
  file: string,
  info: SaveInfo,
): Promise<{ dir: string; files: string[] }> {
  const target = path.resolve(file);
  if (await exists(target)) throw new Error(`${target} already exists; choose a new file name`);
  model.setUserDefinedMetadata(studioMetadata(info));
  const { modelJson, weights } = await modelToFiles(model, 'weights.bin');
  const json = {
    ...modelJson,
    weightsManifest: [{ paths: [], weights: modelJson.weightsManifest[0]?.weights ?? [] }],
    weightData: weights.toString('base64'),
  };
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temp = `${target}.partial-${process.pid}`;
  try {
    await fs.writeFile(temp, JSON.stringify(json));
    await fs.rename(temp, target);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
  return { dir: path.dirname(target), files: [path.basename(target)] };
}

/** The Layers-format model.json content and the weight bytes of a model, in memory. */
export async function modelToFiles(
  model: tf.LayersModel,
  shardName: string,
): Promise<{ modelJson: ModelJson & Record<string, unknown>; weights: Buffer }> {
  let artifacts: ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!artifacts?.weightData || !artifacts.weightSpecs)
    throw new Error('the model produced no weights');
  const weights = Buffer.from(
    tf.io.concatenateArrayBuffers(
      Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData],
    ),
  );
  const modelJson = {
    format: 'layers-model' as const,
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version['tfjs-layers']}`,
    convertedBy: null,
    modelTopology: artifacts.modelTopology as ModelJson['modelTopology'],
    weightsManifest: [
      {
        paths: [shardName],
        weights: artifacts.weightSpecs as ModelJson['weightsManifest'][0]['weights'],
      },
    ],
    userDefinedMetadata: artifacts.userDefinedMetadata,
  };
  return { modelJson, weights };
}

/** Writes model.json + weights.bin into an existing folder. */
export async function writeModelFiles(model: tf.LayersModel, dir: string): Promise<void> {
  const { modelJson, weights } = await modelToFiles(model, 'weights.bin');
  await fs.writeFile(path.join(dir, 'model.json'), JSON.stringify(modelJson));
  await fs.writeFile(path.join(dir, 'weights.bin'), weights);
}

export function studioMetadata(info: SaveInfo): Record<string, unknown> {
  return {
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
      versions: { studio: app.version, tfjs: tfjsVersion(), tensorflow: tensorflowVersion() },
      savedAt: new Date().toISOString(),
    },
  };
}

export interface LoadedModel {
  model: tf.LayersModel;
  preset: ModelPreset;
}

/** Reads model.json (or a single-file export) and the weight bytes, checking everything. */
async function readArtifacts(file: string): Promise<{ json: ModelJson; weights: ArrayBuffer }> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ENOENT' ? `${file} does not exist` : `${file} cannot be read (${code})`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file} is not valid JSON (${(err as Error).message})`);
  }
  const parsed = ModelJsonSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `${file} is not a TensorFlow.js Layers model: ${describeIssues(parsed.error, 'model.json')}`,
    );
  }
  const json = parsed.data;
  const specs = weightSpecs(json);
  const expected = specs.reduce((sum, s) => sum + weightByteLength(s), 0);
  let weights: ArrayBuffer;
  if (json.weightData !== undefined) {
    const bytes = Buffer.from(json.weightData, 'base64');
    if (bytes.length !== expected) {
      throw new Error(
        `${file}: embedded weightData holds ${bytes.length} bytes, the manifest declares ${expected}`,
      );
    }
    weights = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
  } else {
    const dir = path.dirname(file);
    const shards: Buffer[] = [];
    for (const shard of json.weightsManifest.flatMap((g) => g.paths)) {
      const shardPath = path.resolve(dir, shard);
      if (path.relative(dir, shardPath).startsWith('..')) {
        throw new Error(`${file}: weight shard path "${shard}" points outside the model folder`);
      }
      try {
        shards.push(await fs.readFile(shardPath));
      } catch {
        throw new Error(`${file}: weight shard ${shard} is missing`);
      }
    }
    const total = Buffer.concat(shards);
    if (total.length !== expected) {
      throw new Error(
        `${file}: weight shards hold ${total.length} bytes, the manifest declares ${expected} (wrong shard length)`,
      );
    }
    weights = total.buffer.slice(total.byteOffset, total.byteOffset + total.length);
  }
  const bad = findNonFinite(weights, specs);
  if (bad)
    throw new Error(
      `${file}: weight ${bad.name} has a non-finite value (${bad.value}) at index ${bad.index}`,
    );
  return { json, weights };
}

/**
 * Loads a Layers-format model (a folder with model.json, a model.json, or a single-file export)
 * and checks it before use: JSON, topology, every weight present with its declared shape and
 * dtype, shard lengths, finite values, and a 28×28×1 → 10 signature. Nothing half-loaded stays
 * in memory on failure.
 */
export async function loadModelDir(location: string): Promise<LoadedModel> {
  const resolved = path.resolve(location);
  const stat = await fs.stat(resolved).catch(() => null);
  if (!stat) throw new Error(`${resolved} does not exist`);
  const file = stat.isDirectory() ? path.join(resolved, 'model.json') : resolved;
  const { json, weights } = await readArtifacts(file);
  const before = tf.memory().numTensors;
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(
      tf.io.fromMemory({
        weightSpecs: weightSpecs(json),
        weightData: weights,
        userDefinedMetadata: json.userDefinedMetadata as Record<string, unknown> | undefined,
        // The schema checked class_name; tfjs checks the rest of the topology when building.
        modelTopology: json.modelTopology as object,
      }),
    );
  } catch (err) {
    // A topology tfjs cannot build, or weights that do not match its variables.
    tf.disposeVariables();
    const leaked = tf.memory().numTensors - before;
    if (leaked > 0) console.warn(`[engine] ${leaked} tensors left after a failed load`);
    throw new Error(`${file}: the model cannot be built (${(err as Error).message})`);
  }
  const input = model.inputs[0]?.shape ?? [];
  const output = model.outputs[0]?.shape ?? [];
  if (input.slice(1).join('x') !== '28x28x1' || output.slice(1).join('x') !== '10') {
    model.dispose();
    throw new Error(
      `${file}: the model takes [${input.join(',')}] and gives [${output.join(',')}]; the studio needs 28×28×1 images in and 10 classes out`,
    );
  }
  const meta = json.userDefinedMetadata as { studio?: { preset?: unknown } } | undefined;
  const preset = ModelPresetSchema.safeParse(meta?.studio?.preset);
  return { model, preset: preset.success ? preset.data : 'lenet5' };
}
