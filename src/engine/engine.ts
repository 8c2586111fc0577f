// The engine: receives protocol messages, validates them, runs them, and answers. It owns the
// current model and at most one training run. Independent of how messages travel (see
// engine-process.ts), so tests can drive it in-process too.
import { knownDataset, type DatasetIdentity } from '../shared/dataset-identity';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-node';
import {
  EngineRequestSchema,
  predictBatchSize,
  type EngineMessage,
  type EngineRequest,
  type EngineResult,
  type EngineRequestType,
  type ModelSummary,
  type Prediction,
  type TrainingEvent,
  type TrainSummary,
  type KernelInfo,
} from '../shared/engine-protocol';
import type { DatasetRef, ModelPreset, TrainingConfig } from '../shared/training-config';
import { describeIssues } from '../shared/zod-messages';
import { datasetIdentity, loadDataset, type DatasetData } from './dataset-files';
import type { ImageFolderReport } from './image-folder-dataset';
import { createDatasetTensors, createTestTensors } from './dataset-tensors';
import { toPrediction } from '../shared/prediction';
import { classifyFiles } from './classify-files';
import { classifyImages } from './classify-images';
import { evaluateSplit } from './evaluate';
import { architectureFor } from './architectures';
import { datasetImages } from './dataset-images';
import { datasetSummary } from './dataset-summary';
import { featureMaps } from './feature-maps';
import { describeModel } from './describe-model';
import { previewSplit } from './distortion-preview';
import { TENSORBOARD_FOLDER, tensorBoardObserver } from './tensorboard-log';
import { batchLog } from './batch-log';
import type { TrainingObserver } from './training-observer';
import { LOSSES } from './losses';
import { loadModelDir, saveModelDir, saveModelFile, type LoadedModel } from './model-files';
import { createModel, forward, trainableParamCount } from './models';
import { createNativeNetwork, type NativeNetwork } from './native-network';
import { isConverted } from './layers';
import { app } from '../shared/app-info';
import type { RunRecord, RunSummary } from '../shared/run-record';
import { loadCheckpoint, saveCheckpoint, type Checkpoint } from './checkpoint';
import { defaultRunsDir, RunStore } from './run-store';
import { train, TrainingControl } from './trainer';
import { splitAcrossTwin } from './split-network';
import { valuesOf } from './tensor-values';
import { TwinThread } from './twin-thread';
import { lrRangeTest } from './lr-finder';
import { tensorflowVersion, tfjsVersion } from './versions';

export type Send = (message: EngineMessage) => void;

type RequestOfType<T extends EngineRequestType> = Extract<EngineRequest, { type: T }>;

interface CurrentModel {
  model: tf.LayersModel;
  summary: ModelSummary;
  config: TrainingConfig | null;
  datasetFingerprint: string | null;
}

/**
 * A loaded export's data: what it recorded (name and class names, exports since they were
 * kept), else a dataset the studio knows by the fingerprint, named again.
 */
function loadedIdentity(
  fingerprint: string | null,
  recorded: LoadedModel['dataset'],
): { dataset?: DatasetIdentity } {
  if (!fingerprint) return {};
  if (recorded) return { dataset: { ...recorded, fingerprint } };
  const known = knownDataset(fingerprint);
  if (!known) return {};
  return { dataset: { name: known.name, fingerprint, classNames: [...known.classNames] } };
}

export class Engine {
  private current: CurrentModel | null = null;
  /** The model `current` replaced, kept for an undo (see replaceModel). */
  private previous: CurrentModel | null = null;
  private control: TrainingControl | null = null;
  private training: { model: tf.LayersModel; preset: ModelPreset; config: TrainingConfig } | null =
    null;
  private datasetCache: { key: string; data: DatasetData } | null = null;
  /**
   * Native inference networks of the models in use, built on a model's first prediction (a
   * model's weights never change once it is current: training always trains a new one).
   * Null where a model cannot take the native path (a foreign model): tf.layers predicts.
   */
  private inference = new Map<tf.LayersModel, { net: NativeNetwork | null; split: boolean }>();
  private activeRunId: string | null = null;
  /** A learning-rate range test is sweeping (no run may start meanwhile, nor a second sweep). */
  private sweeping = false;
  private readonly runs: RunStore;
  /** The thread that takes half of each batch and of large predictions, once started. */
  private twin: TwinThread | null = null;
  /** Settles (never rejects) once the twin has started, or failed to, or was never planned. */
  private readonly twinStarted: Promise<void>;

  constructor(
    private readonly send: Send,
    runsDir: string = defaultRunsDir(),
    /** What the process entry decided before TensorFlow loaded (cpu-kernels.ts). */
    private readonly kernels: KernelInfo = {
      onednn: 'tensorflow-default',
      decidedBy: 'engine',
      reason: 'not decided by an engine entry',
    },
    /** How the twin starts, where the plan has one (a test holds it back). */
    startTwin: () => ReturnType<typeof TwinThread.start> = () => TwinThread.start(),
  ) {
    this.runs = new RunStore(runsDir);
    this.twinStarted = kernels.threads?.twin
      ? startTwin().then(({ twin, reason }) => {
          this.twin = twin;
          if (reason) this.warn(`computing on one thread: ${reason}`);
        })
      : Promise.resolve();
  }

  private emit = (event: TrainingEvent): void => this.send({ type: 'event', event });

  /** Entry point for every raw message that arrives. */
  async handle(raw: unknown): Promise<void> {
    const parsed = EngineRequestSchema.safeParse(raw);
    if (!parsed.success) {
      const id =
        typeof raw === 'object' && raw !== null && Number.isInteger((raw as { id?: unknown }).id)
          ? ((raw as { id: number }).id ?? null)
          : null;
      this.send({
        type: 'rejected',
        id,
        error: {
          message: `invalid request: ${describeIssues(parsed.error, 'request')}`,
          code: 'INVALID',
        },
      });
      return;
    }
    const request = parsed.data;
    try {
      const value = await this.run(request);
      this.send({ type: 'result', id: request.id, ok: true, value });
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      this.send({ type: 'result', id: request.id, ok: false, error: { message: error.message } });
    }
  }

  /** Runs one request; the result type is that request's own (a typed map, not a union). */
  private run<T extends EngineRequestType>(request: RequestOfType<T>): Promise<EngineResult<T>> {
    // Indexing the table with a generic T loses the pairing of request and handler; this one
    // cast restores it (the table itself is checked entry by entry below).
    const handler = this.handlers[request.type] as (
      r: RequestOfType<T>,
    ) => Promise<EngineResult<T>>;
    return handler(request);
  }

  /** One handler per request type; the compiler checks each returns its own result. */
  private readonly handlers: {
    [T in EngineRequestType]: (r: RequestOfType<T>) => Promise<EngineResult<T>>;
  } = {
    info: async () => ({
      tfjs: tfjsVersion(),
      tensorflow: tensorflowVersion(),
      backend: tf.getBackend(),
      kernels: this.kernels,
      pid: process.pid,
      training: this.control !== null,
      model: this.current?.summary ?? null,
      previousModel: this.previous?.summary ?? null,
      runsDir: this.runs.root,
      memory: {
        rssBytes: process.memoryUsage().rss,
        peakRssBytes: process.resourceUsage().maxRSS * 1024,
        numTensors: tf.memory().numTensors,
        numBytes: tf.memory().numBytes,
      },
    }),
    train: (r) => this.train(r.config),
    pause: async () => {
      this.requireTraining().pause();
      return { ok: true };
    },
    resume: async () => {
      this.requireTraining().resume();
      return { ok: true };
    },
    stop: async () => {
      this.requireTraining().stop();
      return { ok: true };
    },
    evaluate: (r) => this.evaluate(r),
    'dataset-images': async (r) => datasetImages(await this.dataset(r.dataset), r.split, r.indices),
    'dataset-summary': async (r) => datasetSummary(await this.dataset(r.dataset), r.perClass),
    predict: async (r) => this.predict(r.inputs),
    activations: async (r) => {
      const { model, preset, config } = r.training
        ? this.requireTrainingModel()
        : { ...this.requireModel(), preset: this.requireModel().summary.preset };
      return featureMaps(model, preset, config, Float32Array.from(r.input));
    },
    'describe-model': async (r) => describeModel(r.config),
    'lr-range-test': (r) => this.findLearningRate(r),
    'distortion-preview': async (r) =>
      previewSplit((await this.dataset(r.dataset)).train, r.strengths, {
        rows: r.rows,
        variants: r.variants,
        seed: r.seed,
      }),
    'classify-files': async (r) => classifyFiles(this.forwardOf(this.requireModel()), r.paths),
    'classify-images': async (r) => classifyImages(this.forwardOf(this.requireModel()), r.images),
    'save-model': (r) => this.save(r.dir, r.singleFile),
    'load-model': (r) => this.load(r.dir),
    'list-runs': () => this.listRuns(),
    'run-metrics': (r) => this.runs.metrics(r.runId),
    'run-batches': (r) => this.runs.batches(r.runId, r.limit),
    'rename-run': (r) => this.runs.rename(r.runId, r.name),
    'delete-run': (r) => this.deleteRun(r.runId),
    'load-run': (r) => this.loadRun(r.runId),
    'resume-run': (r) => this.resumeRun(r.runId),
    'restore-previous-model': async () => this.restorePrevious(),
  };

  private requireTraining(): TrainingControl {
    if (!this.control) throw new Error('no training is running');
    return this.control;
  }

  /** The model a run is training; its layers model holds the last completed epoch's weights. */
  private requireTrainingModel() {
    if (!this.training) throw new Error('no training is running');
    return this.training;
  }

  private requireModel(): CurrentModel {
    if (!this.current) throw new Error('no model: train one or load one first');
    return this.current;
  }

  private async dataset(ref: DatasetRef): Promise<DatasetData> {
    const key = JSON.stringify(ref);
    if (this.datasetCache?.key === key) return this.datasetCache.data;
    const data = await loadDataset(ref);
    this.datasetCache = { key, data };
    if (data.report) this.reportImageFolder(data.name, data.report);
    return data;
  }

  private refuseWhileSweeping(): void {
    if (this.sweeping)
      throw new Error('the learning-rate finder is running: wait for it to finish (a few seconds)');
  }

  private async train(config: TrainingConfig) {
    if (this.control) throw new Error('a training run is already in progress');
    this.refuseWhileSweeping();
    const data = await this.dataset(config.dataset);
    await this.twinStarted;
    let record: RunRecord | null = null;
    try {
      record = await this.runs.create(config, datasetIdentity(data), {
        studio: app.version,
        tfjs: tfjsVersion(),
        tensorflow: tensorflowVersion(),
      });
    } catch (err) {
      // An unwritable runs folder must not stop training; it only goes unrecorded.
      this.warn(`this run is not recorded (${this.runs.root}: ${(err as Error).message})`);
    }
    return this.runTraining(config, record, data, createModel(config));
  }

  private async resumeRun(runId: string) {
    if (this.control) throw new Error('a training run is already in progress');
    this.refuseWhileSweeping();
    const record = await this.runs.read(runId);
    if (record.status === 'completed') throw new Error(`run ${runId} has already completed`);
    const data = await this.dataset(record.config.dataset);
    if (data.fingerprint !== record.dataset.fingerprint) {
      throw new Error(
        `run ${runId} was trained on other data (${record.dataset.name}); its dataset has changed`,
      );
    }
    const checkpoint = await loadCheckpoint(await this.runs.checkpointDir(runId));
    await this.twinStarted;
    return this.runTraining(record.config, record, data, checkpoint.model, checkpoint);
  }

  /**
   * Trains (or resumes) a run, then says so (train-done) once its end is recorded, its model is
   * the current one and the engine takes the next run: a page that asks for the current model
   * or starts a run on that event gets the state after the run, not before it.
   */
  private async runTraining(
    config: TrainingConfig,
    record: RunRecord | null,
    data: DatasetData,
    model: tf.LayersModel,
    resume?: Checkpoint,
  ): Promise<TrainSummary> {
    const summary = await this.trainAndRecord(config, record, data, model, resume);
    this.emit({ kind: 'train-done', summary });
    return summary;
  }

  /**
   * The run itself. When it is recorded, metrics and checkpoints go to its folder; a failure to
   * write them is reported as a warning and never stops the training.
   */
  private async trainAndRecord(
    config: TrainingConfig,
    record: RunRecord | null,
    data: DatasetData,
    model: tf.LayersModel,
    resume?: Checkpoint,
  ): Promise<TrainSummary> {
    const runId = record?.id ?? null;
    const control = new TrainingControl();
    this.control = control;
    this.training = { model, preset: config.model, config };
    this.activeRunId = runId;
    let bestValAccuracy = record?.bestValAccuracy ?? null;
    const recordRun = async (what: string, write: (id: string) => Promise<unknown>) => {
      if (!runId) return;
      try {
        await write(runId);
      } catch (err) {
        this.warn(`run ${runId}: could not ${what} (${(err as Error).message})`);
      }
    };
    // Drained at every epoch end and checkpoint: the batches up to there are on disk before the
    // epoch's line and before the run's end is announced.
    const batches = runId
      ? batchLog(
          (points) => this.runs.appendBatches(runId, points),
          (message) => this.warn(`run ${runId}: ${message}`),
        )
      : null;
    try {
      await recordRun('update run.json', (id) =>
        this.runs.update(id, { status: 'running', error: null }),
      );
      let tensors: ReturnType<typeof createDatasetTensors> | undefined;
      try {
        // Inside the try: if the data cannot be laid out, the model made for this run is freed.
        tensors = createDatasetTensors(data, config);
        const summary = await train({
          config,
          model,
          data: tensors,
          dataset: datasetIdentity(data),
          control,
          emit: this.emit,
          resume,
          runId,
          twin: this.twin,
          observers: runId && batches ? [batches, ...(await this.runObservers(runId))] : [],
          onEpoch: ({ valConfusion: _c, valPerClassAccuracy: _a, ...e }) =>
            recordRun('record the epoch', async (id) => {
              await batches?.drain();
              await this.runs.appendEpoch(id, { ...e, at: new Date().toISOString() });
              if (e.valAccuracy !== null)
                bestValAccuracy = Math.max(bestValAccuracy ?? 0, e.valAccuracy);
              await this.runs.update(id, { epochsCompleted: e.epoch + 1, bestValAccuracy });
            }),
          onCheckpoint: (state, optimizer) =>
            recordRun('write a checkpoint', async (id) => {
              await batches?.drain();
              await saveCheckpoint(await this.runs.checkpointDir(id), model, state, optimizer);
              await this.runs.update(id, { hasCheckpoint: true });
            }),
        });
        await recordRun('update run.json', (id) =>
          this.runs.update(id, {
            status: summary.stopped ? 'stopped' : 'completed',
            testAccuracy: summary.testAccuracy,
            testLoss: summary.testLoss,
            ...(summary.earlyStop ? { earlyStop: summary.earlyStop } : {}),
          }),
        );
        this.replaceModel({
          model,
          config,
          datasetFingerprint: data.fingerprint,
          summary: {
            preset: config.model,
            params: summary.params,
            source: 'trained',
            testAccuracy: summary.testAccuracy,
            dataset: datasetIdentity(data),
            datasetRef: config.dataset,
            ...(runId ? { runId } : {}),
          },
        });
        return summary;
      } catch (err) {
        model.dispose();
        throw err;
      } finally {
        await batches?.drain();
        tensors?.dispose();
      }
    } catch (err) {
      const message = (err as Error).message;
      await recordRun('update run.json', (id) =>
        this.runs.update(id, { status: 'failed', error: message }),
      );
      this.emit({ kind: 'train-failed', message });
      throw err;
    } finally {
      this.control = null;
      this.training = null;
      this.activeRunId = null;
    }
  }

  /** What watches a recorded run: its TensorBoard logs, in `<run>/tensorboard/`. */
  private async runObservers(runId: string): Promise<TrainingObserver[]> {
    try {
      const logdir = path.join(await this.runs.runDir(runId), TENSORBOARD_FOLDER);
      return [tensorBoardObserver(logdir)];
    } catch (err) {
      this.warn(`run ${runId}: no TensorBoard logs (${(err as Error).message})`);
      return [];
    }
  }

  /** What an image folder held: not fatal, but a person should know (as log events). */
  private reportImageFolder(name: string, report: ImageFolderReport): void {
    const total = (counts: number[]) => counts.reduce((a, b) => a + b, 0);
    this.emit({
      kind: 'log',
      level: 'info',
      message: `image folder ${name}: ${report.classes.length} classes (${report.classes.join(', ')}), ${total(report.counts.train)} training and ${total(report.counts.test)} test images`,
    });
    for (const empty of report.emptyClasses)
      this.warn(`image folder ${name}: class ${empty} has no images`);
    const LISTED = 20;
    for (const b of report.broken.slice(0, LISTED)) this.warn(`skipped ${b.path}: ${b.error}`);
    if (report.broken.length > LISTED) {
      this.warn(`skipped ${report.broken.length - LISTED} more files that could not be decoded`);
    }
  }

  private warn(message: string): void {
    this.emit({ kind: 'log', level: 'warn', message });
  }

  private async listRuns(): Promise<RunSummary[]> {
    // A run still marked running that this engine is not training was cut off by a crash.
    return (await this.runs.list()).map((run) =>
      !run.damaged && run.record.status === 'running' && run.id !== this.activeRunId
        ? { ...run, record: { ...run.record, status: 'interrupted' as const } }
        : run,
    );
  }

  private async loadRun(runId: string) {
    if (this.control) throw new Error('cannot load a model while training runs');
    const record = await this.runs.read(runId);
    const { model } = await loadCheckpoint(await this.runs.checkpointDir(runId));
    this.replaceModel({
      model,
      config: record.config,
      datasetFingerprint: record.dataset.fingerprint,
      summary: {
        preset: record.config.model,
        params: trainableParamCount(model, record.config),
        source: 'loaded',
        runId,
        testAccuracy: record.testAccuracy ?? undefined,
        dataset: record.dataset,
        datasetRef: record.config.dataset,
      },
    });
    return this.current!.summary;
  }

  private async deleteRun(runId: string) {
    if (runId === this.activeRunId) throw new Error('cannot delete the run that is training');
    await this.runs.remove(runId);
    return { ok: true as const };
  }

  /**
   * The model replaced last is kept (one LeNet is a few hundred KB), so a finished run or a
   * load that replaced a good model can be undone in one click; the one before it is freed.
   */
  private replaceModel(next: CurrentModel): void {
    if (this.current && this.current.model !== next.model) {
      if (this.previous && this.previous.model !== next.model)
        this.disposeModel(this.previous.model);
      this.previous = this.current;
    }
    this.current = next;
  }

  private disposeModel(model: tf.LayersModel): void {
    this.inference.get(model)?.net?.dispose();
    this.inference.delete(model);
    model.dispose();
  }

  /**
   * The current model's outputs for x: through its native network where it has one, split with
   * the twin once the twin is there. Predictions do not wait for the twin to start (1.2 s after
   * the engine is ready, measured under tsx): a request before then runs on this thread alone.
   */
  private forwardOf(current: CurrentModel): (x: tf.Tensor) => tf.Tensor2D {
    let entry = this.inference.get(current.model);
    if (entry === undefined) {
      // Not for a model with re-expressed layers (lenet5-1998's folded subsampling, C3 table,
      // RBF): its native parametrisation rounds differently from the exported tf.layers model,
      // and the engine's predictions must be the export's (portability test, 1e-5).
      const { config } = current;
      const native =
        config && !architectureFor(config).layers.some(isConverted)
          ? createNativeNetwork(current.model, config)
          : null;
      entry = { net: native, split: false };
      this.inference.set(current.model, entry);
    }
    const { config } = current;
    if (entry.net && config && !entry.split && this.twin?.usable) {
      // Large batches split with the twin (small ones, Draw's single digit, stay here).
      entry.net = splitAcrossTwin(entry.net, config, this.twin, (reason) =>
        this.warn(`predicting on one thread: ${reason}`),
      );
      entry.split = true;
    }
    const native = entry.net;
    return native ? (x) => native.predict(x) : (x) => forward(current.model, x);
  }

  /** Swaps the current model with the one it replaced (so a second call undoes the first). */
  private restorePrevious(): ModelSummary {
    if (this.control) throw new Error('cannot switch models while training runs');
    if (!this.previous) throw new Error('there is no previous model to go back to');
    [this.current, this.previous] = [this.previous, this.current];
    return this.current.summary;
  }

  private async evaluate(r: RequestOfType<'evaluate'>) {
    const current = this.requireModel();
    const { model, config } = current;
    const data = await this.dataset(r.dataset);
    const split = createTestTensors(data, r.testLimit);
    const evaluation = evaluateSplit(model, split, {
      forward: this.forwardOf(current),
      confusion: true,
      details: r.details,
      probabilities: r.probabilities,
      // A model trained or recorded here is scored with its preset's loss.
      ...(config ? { loss: LOSSES[architectureFor(config).loss] } : {}),
    });
    // Said with the result, so a caller can tell the model's classes from the data's.
    return { ...evaluation, dataset: datasetIdentity(data) };
  }

  /** The learning-rate range test on a throwaway model: the current one is never touched. */
  private async findLearningRate(r: RequestOfType<'lr-range-test'>) {
    if (this.control) {
      throw new Error(
        'cannot find a learning rate while a training run is in progress: wait for it to end or stop it',
      );
    }
    this.refuseWhileSweeping();
    this.sweeping = true;
    try {
      const tensors = createDatasetTensors(await this.dataset(r.config.dataset), r.config);
      try {
        await this.twinStarted;
        return await lrRangeTest(r.config, tensors.train, r, this.twin);
      } finally {
        tensors.dispose();
      }
    } finally {
      this.sweeping = false;
    }
  }

  private predict(inputs: Float32Array | number[][]): Prediction[] {
    const run = this.forwardOf(this.requireModel());
    const n = predictBatchSize(inputs);
    const probs = valuesOf(() => {
      // A Float32Array batch becomes the tensor as it is; rows are flattened first.
      const values = inputs instanceof Float32Array ? inputs : inputs.flat();
      return run(tf.tensor4d(values, [n, 28, 28, 1]));
    });
    const predictions: Prediction[] = new Array<Prediction>(n);
    for (let k = 0; k < n; k++)
      predictions[k] = toPrediction(Array.from(probs.subarray(10 * k, 10 * k + 10)));
    return predictions;
  }

  private async save(dir: string, singleFile: boolean) {
    const current = this.requireModel();
    if (this.control) throw new Error('cannot export while training runs; stop or wait first');
    const save = singleFile ? saveModelFile : saveModelDir;
    return save(current.model, dir, {
      preset: current.summary.preset,
      config: current.config,
      datasetFingerprint: current.datasetFingerprint,
      testAccuracy: current.summary.testAccuracy ?? null,
      dataset: current.summary.dataset,
    });
  }

  private async load(dir: string) {
    if (this.control) throw new Error('cannot load a model while training runs');
    const loaded = await loadModelDir(dir);
    this.replaceModel({
      model: loaded.model,
      config: loaded.config,
      datasetFingerprint: loaded.datasetFingerprint,
      summary: {
        preset: loaded.preset,
        params: trainableParamCount(loaded.model, loaded.config),
        source: 'loaded',
        path: dir,
        ...loadedIdentity(loaded.datasetFingerprint, loaded.dataset),
        // Where the exporting studio read its data: may not exist here (Evaluate then says so).
        ...(loaded.config ? { datasetRef: loaded.config.dataset } : {}),
      },
    });
    return this.current!.summary;
  }
}
