// How one optimisation step runs. Two implementations behind one interface: the native one
// (TensorFlow's training kernels, see native-network.ts) and the portable tfjs one, used for
// layers the native path does not cover (e.g. dropout).
import * as tf from '@tensorflow/tfjs-node';
import type { TrainingConfig } from '../shared/training-config';
import { architectureFor } from './architectures';
import { isConverted } from './layers';
import { LOSSES } from './losses';
import { forward } from './models';
import { createNativeNetwork, nativeUnsupportedReason, type NativeNetwork } from './native-network';
import { OPTIMIZERS } from './optimizers';
import { splitAcrossTwin } from './split-network';
import type { TwinThread } from './twin-thread';

/** What the training loop needs of a network: the native one, or tfjs on the layers model. */
export type StepRunner = Omit<
  NativeNetwork,
  'gradient' | 'applyGradient' | 'readParams' | 'writeParams'
> & {
  readonly kind: 'native' | 'portable';
  /** The native network's steps are split with the engine's twin thread. */
  readonly split?: boolean;
};

/**
 * tfjs optimizers read `learningRate` on every step but expose it only as a protected field;
 * setting it is how a schedule is applied without rebuilding the optimizer (and its state).
 */
function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = lr;
}

/** The portable path: tfjs autodiff and optimizers on the layers model itself. */
export function createPortableRunner(model: tf.LayersModel, config: TrainingConfig): StepRunner {
  const portable = OPTIMIZERS[config.optimizer].portable;
  if (!portable) {
    throw new Error(
      `the ${config.optimizer} optimizer runs on the native path only, which this model cannot take`,
    );
  }
  const optimizer = portable(config.learningRate);
  const loss = LOSSES[architectureFor(config).loss];
  return {
    kind: 'portable',
    step(x, y, learningRate) {
      setLearningRate(optimizer, learningRate);
      return tf.tidy(() => {
        let correct: tf.Scalar | undefined;
        let lossSum: tf.Scalar | undefined;
        optimizer.minimize(() => {
          const outputs = model.apply(x, { training: true }) as tf.Tensor2D;
          const losses = loss.perExample(outputs, y);
          correct = tf.keep(tf.equal(loss.predict(outputs), y).sum().toFloat() as tf.Scalar);
          lossSum = tf.keep(losses.sum() as tf.Scalar);
          return losses.mean() as tf.Scalar;
        });
        return { lossSum: lossSum as tf.Scalar, correct: correct as tf.Scalar };
      });
    },
    estimateCurvature() {
      // No portable optimizer estimates curvature (SDLM has no portable path).
    },
    copyToModel() {
      // The layers model is trained in place.
    },
    predict: (x) => forward(model, x),
    async exportOptimizer() {
      const weights = await optimizer.getWeights();
      return {
        kind: 'portable',
        slots: weights.map(({ name, tensor }) => ({
          name,
          shape: tensor.shape,
          values: Float32Array.from(tensor.dataSync()),
        })),
      };
    },
    async importOptimizer(saved) {
      if (saved.kind !== 'portable')
        throw new Error("the checkpoint's optimizer state does not fit this run");
      const named = saved.slots.map(({ name, shape, values }) => ({
        name,
        tensor: tf.tensor(values, shape),
      }));
      await optimizer.setWeights(named); // copies into the optimizer's own variables
      tf.dispose(named.map((n) => n.tensor));
    },
    dispose() {
      optimizer.dispose();
    },
  };
}

/**
 * The fastest runner the model and backend allow, and why the native one was not used. With a
 * twin thread, the native network's steps are split with it (split-network.ts); `onTwinFailure`
 * hears why, should the twin fail (the steps then run on this thread alone).
 */
export function createStepRunner(
  model: tf.LayersModel,
  config: TrainingConfig,
  twin: TwinThread | null = null,
  onTwinFailure: (reason: string) => void = () => {},
): { runner: StepRunner; fallbackReason: string | null } {
  const native = createNativeNetwork(model, config);
  if (native && twin?.usable) {
    let built = true;
    const split = splitAcrossTwin(native, config, twin, (reason) => {
      built = false;
      onTwinFailure(reason);
    });
    return { runner: { ...split, kind: 'native', split: built }, fallbackReason: null };
  }
  if (native) return { runner: { ...native, kind: 'native' }, fallbackReason: null };
  const reason = nativeUnsupportedReason(model, config);
  // tfjs would train the exported (folded) weights — another parametrisation, and neither the
  // C3 mask nor the subsampling's four equal weights would hold.
  const converted = architectureFor(config).layers.find(isConverted);
  if (converted) {
    throw new Error(
      `${config.model}: layer ${converted.name} trains on the native path only, which is not available here (${reason})`,
    );
  }
  if (!OPTIMIZERS[config.optimizer].portable) {
    throw new Error(
      `${config.model}: the ${config.optimizer} optimizer runs on the native path only, which is not available here (${reason})`,
    );
  }
  return {
    runner: createPortableRunner(model, config),
    fallbackReason: reason,
  };
}
