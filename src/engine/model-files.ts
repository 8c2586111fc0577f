// Saving and loading models in the TensorFlow.js Layers format (model.json + weight shards),
// with the studio's metadata in model.json's userDefinedMetadata.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { io } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-node';

type ModelArtifacts = io.ModelArtifacts;
import { app } from '../shared/app-info';
import { parseJson } from '../shared/safe-json';
import { createFileAtomic, createFolderAtomic, writeNewFile } from './atomic-files';
import { readRegularFile, readSmallFile } from './read-files';
import { PREPROCESSING_SPEC } from '../shared/model-metadata';
import {
  className,
  classNamesOf,
  DatasetKindSchema,
  type DatasetIdentity,
} from '../shared/dataset-identity';
import { NUM_CLASSES } from '../shared/mnist-shape';
import { z } from 'zod';
import { tensorflowVersion, tfjsVersion } from './versions';
import {
  findNonFinite,
  ModelJsonSchema,
  weightByteLength,
  weightSpecs,
  type ModelJson,
} from '../shared/model-json';
import {
  ModelPresetSchema,
  TrainingConfigSchema,
  type ModelPreset,
  type TrainingConfig,
} from '../shared/training-config';
import { describeIssues } from '../shared/zod-messages';

export interface SaveInfo {
  preset: ModelPreset;
  config: TrainingConfig | null;
  datasetFingerprint: string | null;
  testAccuracy: number | null;
  /** The data it was trained on, where known: its class names become the export's labels. */
  dataset?: DatasetIdentity | undefined;
}

/**
 * What an export records of its data besides the fingerprint (read back from a file, so
 * bounded): the name and class names, so an image folder's classes survive export and import.
 */
const RecordedDatasetSchema = z.object({
  name: z.string().max(200),
  kind: DatasetKindSchema.optional(),
  classNames: z.array(z.string().max(200)).min(1).max(NUM_CLASSES),
});

/**
 * The largest model.json read: a single-file export of LeNet-5 is ~0.35 MB (0.25 MB of weights
 * as base64) and of lenet-caffe ~2.3 MB; 64 MiB leaves room for any model this studio can train
 * or use (28×28 in, 10 out) while keeping a hostile or mistaken pick from filling memory.
 */
export const MAX_MODEL_JSON_BYTES = 64 * 1024 * 1024;
/** The largest total of weight shards: the same bound, as raw bytes. */
export const MAX_WEIGHT_BYTES = 64 * 1024 * 1024;

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
  model.setUserDefinedMetadata(studioMetadata(info));
  await createFolderAtomic(target, (temp) => writeModelFiles(model, temp));
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
  if (await fs.lstat(target).catch(() => null))
    throw new Error(`${target} already exists; choose a new file name`);
  model.setUserDefinedMetadata(studioMetadata(info));
  const { modelJson, weights } = await modelToFiles(model, 'weights.bin');
  const json = {
    ...modelJson,
    weightsManifest: [{ paths: [], weights: modelJson.weightsManifest[0]?.weights ?? [] }],
    weightData: weights.toString('base64'),
  };
  await createFileAtomic(target, JSON.stringify(json));
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
  await writeNewFile(path.join(dir, 'model.json'), JSON.stringify(modelJson));
  await writeNewFile(path.join(dir, 'weights.bin'), weights);
}

export function studioMetadata(info: SaveInfo): Record<string, unknown> {
  return {
    studio: {
      format: 'lenet-studio-model',
      formatVersion: 1,
      // Output k's name, for every output (past an image folder's classes: the number).
      labels: Array.from({ length: NUM_CLASSES }, (_, k) =>
        className(classNamesOf(info.dataset), k),
      ),
      inputShape: [28, 28, 1],
      preprocessing: PREPROCESSING_SPEC,
      preset: info.preset,
      config: info.config,
      datasetFingerprint: info.datasetFingerprint,
      ...(info.dataset
        ? {
            dataset: {
              name: info.dataset.name,
              ...(info.dataset.kind ? { kind: info.dataset.kind } : {}),
              classNames: [...classNamesOf(info.dataset)],
            },
          }
        : {}),
      metrics: { testAccuracy: info.testAccuracy },
      versions: { studio: app.version, tfjs: tfjsVersion(), tensorflow: tensorflowVersion() },
      savedAt: new Date().toISOString(),
    },
  };
}

/**
 * Builds the model and sets its weights, freeing on failure exactly what this build created.
 * (It once called tf.disposeVariables(), which also freed the weights of the model already
 * loaded: a failed import destroyed the current, possibly unexported, model.)
 */
async function buildModel(file: string, json: ModelJson, weightData: ArrayBuffer) {
  const registered = () => tf.engine().state.registeredVariables;
  const before = new Set(Object.keys(registered()));
  // The schema checked class_name; tfjs checks the rest of the topology when building.
  const config = { modelTopology: json.modelTopology } as unknown as Parameters<
    typeof tf.models.modelFromJSON
  >[0];
  const pending = tf.models.modelFromJSON(config);
  // modelFromJSON deserialises synchronously, before its first await: the variables that exist
  // now and did not before are this build's, and no other request can have made any meanwhile.
  const created = Object.entries(registered()).filter(([name]) => !before.has(name));
  let model: tf.LayersModel;
  try {
    model = await pending;
  } catch (err) {
    for (const [, variable] of created) variable.dispose();
    throw new Error(`${file}: the model cannot be built (${describeBuildError(err)})`);
  }
  const tensors = tf.io.decodeWeights(weightData, weightSpecs(json));
  try {
    model.loadWeights(tensors, true);
  } catch (err) {
    model.dispose();
    throw new Error(`${file}: the model cannot be built (${describeBuildError(err)})`);
  } finally {
    tf.dispose(Object.values(tensors));
  }
  const meta = json.userDefinedMetadata as Record<string, unknown> | undefined;
  if (meta) model.setUserDefinedMetadata(meta);
  return model;
}

/** tfjs' own message (it names layers and weights, which the topology defines), first line only. */
function describeBuildError(err: unknown): string {
  return String((err as Error)?.message ?? err)
    .split('\n')[0]!
    .slice(0, 300);
}

export interface LoadedModel {
  model: tf.LayersModel;
  preset: ModelPreset;
  /** The training config recorded in a studio export, or null. */
  config: TrainingConfig | null;
  /** The fingerprint of the data a studio export was trained on, or null. */
  datasetFingerprint: string | null;
  /** The name and class names an export recorded of that data (exports since they were kept). */
  dataset: z.infer<typeof RecordedDatasetSchema> | null;
}

/** Reads model.json (or a single-file export) and the weight bytes, checking everything. */
async function readArtifacts(file: string): Promise<{ json: ModelJson; weights: ArrayBuffer }> {
  const text = await readSmallFile(file, MAX_MODEL_JSON_BYTES);
  const raw = parseJson(text, file);
  const parsed = ModelJsonSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `${file} is not a TensorFlow.js Layers model: ${describeIssues(parsed.error, 'model.json')}`,
    );
  }
  const json = parsed.data;
  const specs = weightSpecs(json);
  const expected = specs.reduce((sum, s) => sum + weightByteLength(s), 0);
  if (expected > MAX_WEIGHT_BYTES)
    throw new Error(
      `${file}: the manifest declares ${expected} bytes of weights, over the ${MAX_WEIGHT_BYTES}-byte limit`,
    );
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
    const shards = await resolveShards(
      file,
      json.weightsManifest.flatMap((g) => g.paths),
    );
    const total = shards.reduce((n, s) => n + s.size, 0);
    // Sizes first, from the file system: nothing is read unless the bytes add up.
    if (total !== expected) {
      throw new Error(
        `${file}: weight shards hold ${total} bytes, the manifest declares ${expected} (wrong shard length)`,
      );
    }
    const all = new Uint8Array(total);
    let offset = 0;
    for (const shard of shards) {
      all.set(
        await readRegularFile(shard.path, {
          maxBytes: MAX_WEIGHT_BYTES,
          expectedBytes: shard.size,
        }),
        offset,
      );
      offset += shard.size;
    }
    weights = all.buffer;
  }
  const bad = findNonFinite(weights, specs);
  if (bad)
    throw new Error(
      `${file}: weight ${bad.name} has a non-finite value (${bad.value}) at index ${bad.index}`,
    );
  return { json, weights };
}

/** A manifest path that is absolute anywhere: POSIX, a Windows drive (C:\\, C:), or UNC. */
const ABSOLUTE = /^(?:[\\/]|[A-Za-z]:)/;

/**
 * The weight shards a manifest names, checked before any is read: relative paths, inside the
 * model's folder once links are resolved, regular files, each file listed once (one file named
 * 25 times, or under two names, once made the engine read it 25 times), with their sizes.
 */
async function resolveShards(
  file: string,
  paths: string[],
): Promise<Array<{ path: string; size: number }>> {
  const dir = path.dirname(file);
  const realDir = await fs.realpath(dir);
  const seen = new Set<string>();
  const shards: Array<{ path: string; size: number }> = [];
  for (const shard of paths) {
    if (ABSOLUTE.test(shard) || path.isAbsolute(shard) || shard.includes('\0'))
      throw new Error(`${file}: weight shard path "${shard}" is not relative to the model folder`);
    const inside = (p: string, root: string) => {
      const rel = path.relative(root, p);
      return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
    };
    // Backslashes are separators on Windows, where these manifests are often written.
    const joined = path.resolve(dir, shard.replace(/\\/g, '/'));
    if (!inside(joined, dir))
      throw new Error(`${file}: weight shard path "${shard}" points outside the model folder`);
    const real = await fs.realpath(joined).catch((err: unknown) => {
      const code = (err as NodeJS.ErrnoException).code;
      throw new Error(
        code === 'ENOENT'
          ? `${file}: weight shard ${shard} is missing`
          : `${file}: weight shard ${shard} cannot be read (${code})`,
      );
    });
    if (!inside(real, realDir))
      throw new Error(
        `${file}: weight shard path "${shard}" points outside the model folder (through a link)`,
      );
    if (seen.has(real)) throw new Error(`${file}: weight shard ${shard} is listed more than once`);
    seen.add(real);
    const stat = await fs.stat(real);
    if (!stat.isFile()) throw new Error(`${file}: weight shard ${shard} is not a regular file`);
    shards.push({ path: real, size: stat.size });
  }
  return shards;
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
  const model = await buildModel(file, json, weights);
  const input = model.inputs[0]?.shape ?? [];
  const output = model.outputs[0]?.shape ?? [];
  if (input.slice(1).join('x') !== '28x28x1' || output.slice(1).join('x') !== '10') {
    model.dispose();
    throw new Error(
      `${file}: the model takes [${input.join(',')}] and gives [${output.join(',')}]; the studio needs 28×28×1 images in and 10 classes out`,
    );
  }
  const meta = json.userDefinedMetadata as
    | {
        studio?: {
          preset?: unknown;
          config?: unknown;
          datasetFingerprint?: unknown;
          dataset?: unknown;
        };
      }
    | undefined;
  const preset = ModelPresetSchema.safeParse(meta?.studio?.preset);
  // The training config a studio export records (its layers' options); a foreign model has none.
  const config = TrainingConfigSchema.safeParse(meta?.studio?.config);
  const dataset = RecordedDatasetSchema.safeParse(meta?.studio?.dataset);
  return {
    model,
    preset: preset.success ? preset.data : 'lenet5',
    config: config.success ? config.data : null,
    datasetFingerprint:
      typeof meta?.studio?.datasetFingerprint === 'string' ? meta.studio.datasetFingerprint : null,
    dataset: dataset.success ? dataset.data : null,
  };
}
