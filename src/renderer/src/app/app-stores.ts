// The app's state: one store per feature, plus the engine info every view reads. This is the one
// way state outlives a tab switch. main.ts creates the stores once, before mounting, and
// provides them to the whole component tree; views and components inject them (useStores()).
// Created by the app rather than at import (module-level singletons): importing a module starts
// nothing, and a test builds as many independent stores as it likes on an API double.
// Views are plain components that mount when shown and unmount when left: no <KeepAlive>, no
// module-scope state, no singleton composables. A store never touches the DOM: what it needs
// from the browser (decoding images, the next frame) is handed to it here (main.ts), so stores
// are plain TypeScript that tests drive under Node.
import { inject, type App, type InjectionKey } from 'vue';
import type { StudioApi } from '../../../shared/studio-contract';
import type { ChunkClassifier } from '../features/classify/classify-batch';
import { createClassifyStore, type ClassifyStore } from '../features/classify/classify-store';
import { createDatasetStore, type DatasetStore } from '../features/dataset/dataset-store';
import { createDrawStore, type DrawStore } from '../features/draw/draw-store';
import { createEvaluateStore, type EvaluateStore } from '../features/evaluate/evaluate-store';
import { createModelsStore, type ModelsStore } from '../features/models/models-store';
import { createTrainStore, type TrainStore } from '../features/train/train-store';
import { createLrFinderStore, type LrFinderStore } from '../features/train/lr-finder-store';
import { createModelChange, type ModelChangeStore } from './model-change';
import { createStudioInfo, type StudioInfoStore } from './studio-info';

export interface StudioStores {
  info: StudioInfoStore;
  train: TrainStore;
  /** The Train view's learning-rate finder (a sweep on a throwaway model). */
  lrFinder: LrFinderStore;
  draw: DrawStore;
  classify: ClassifyStore<File>;
  evaluate: EvaluateStore;
  models: ModelsStore;
  /** What a finished run did to the current model, and the way back. */
  modelChange: ModelChangeStore;
  dataset: DatasetStore;
}

export interface StoreDeps {
  api: StudioApi;
  /** Classifies a chunk of a Classify batch's files. */
  classify: ChunkClassifier<File>;
  /** Gives the browser a turn to paint. */
  yieldToUi(): Promise<void>;
  /** Calls back with the time just before the next frame is painted. */
  beforePaint(callback: (now: number) => void): void;
}

export function createStores(deps: StoreDeps): StudioStores {
  const { api } = deps;
  const info = createStudioInfo(api);
  const train = createTrainStore(api);
  return {
    info,
    train,
    lrFinder: createLrFinderStore(api, train),
    draw: createDrawStore({ api, info, beforePaint: deps.beforePaint }),
    classify: createClassifyStore({
      info,
      classify: deps.classify,
      yieldToUi: deps.yieldToUi,
    }),
    evaluate: createEvaluateStore(api, info),
    models: createModelsStore({ api, info, train }),
    modelChange: createModelChange(api, info),
    dataset: createDatasetStore(api),
  };
}

const STORES: InjectionKey<StudioStores> = Symbol('studio-stores');

export function provideStores(app: App, stores: StudioStores): void {
  app.provide(STORES, stores);
}

/** The app's stores, from inside a component's setup. */
export function useStores(): StudioStores {
  const stores = inject(STORES);
  if (!stores) throw new Error('useStores(): the stores are provided by main.ts');
  return stores;
}
