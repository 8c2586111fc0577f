// Trains a preset through TensorFlow's native training kernels (see native-ops.ts). The
// compiler walks the preset's layer specs through the layer registry (layers/): each block
// brings its forward and hand-written backward pass; the loss (losses/) its fused kernel; the
// optimizer table (optimizers/) its ResourceApply… update. Weights and optimizer slots live in
// TensorFlow resource variables, updated in place. A spec whose module has no native path
// (dropout, say) makes the whole network decline with the reason, and the portable tfjs path
// trains it instead.
import * as tf from '@tensorflow/tfjs-node';
import type { TrainingConfig } from '../shared/training-config';
import { architectureFor, type Architecture } from './architectures';
import type { OptimizerSlots } from './checkpoint';
import { isConverted, moduleOf, planLayers, type LayerSpec } from './layers';
import { referenceActivation } from './layers/activations';
import type { LayerModule, NativeBlock, Tape } from './layers/layer-module';
import { createNativeKit, type NativeKit } from './layers/native-kit';
import { LOSSES, type LossModule } from './losses';
import { INFERENCE_BATCH } from './models';
import { nativeOps, type NativeOps } from './native-ops';
import { nativeSlotNames, OPTIMIZERS } from './optimizers';
import type { CurvatureSource, NativeParam } from './optimizers/optimizer-entry';

// Types, not interfaces: tf.tidy returns only what has an index signature.
export type StepResult = {
  /** Sum of the per-example losses of the batch. */
  lossSum: tf.Scalar;
  /** Number of correct predictions in the batch. */
  correct: tf.Scalar;
};

/** A batch's gradient, before any update: what a data-parallel step adds up across threads. */
export type GradientResult = StepResult & {
  /** The gradient of Σ losses × `scale` for every parameter, flat in plan order. */
  grad: tf.Tensor1D;
};

export interface NativeNetwork {
  /** One optimisation step on a batch: x [n, …input] float32, y [n] int32 class indices. */
  step(x: tf.Tensor, y: tf.Tensor, learningRate: number): StepResult;
  /**
   * The flat gradient of `scale` × the batch's summed loss (scale 1/n is the mean's), with the
   * batch's loss sum and correct count; the weights are not changed.
   */
  gradient(x: tf.Tensor, y: tf.Tensor, scale: number): GradientResult;
  /** One optimizer update with a flat gradient (as `gradient` returns it). */
  applyGradient(grad: tf.Tensor, learningRate: number): void;
  /** Every parameter, flat in plan order (a copy). */
  readParams(): Float32Array;
  /** Replaces every parameter with `values` (flat in plan order, as readParams gives them). */
  writeParams(values: Float32Array): void;
  /**
   * Re-estimates the optimizer's curvature slot on x [n, …input] with labels y [n] (an
   * optimizer with `curvature`, SDLM); does nothing for the others.
   */
  estimateCurvature(x: tf.Tensor, y: tf.Tensor, seed: number): void;
  /** Copies the trained weights into the layers model (for evaluation, prediction, export). */
  copyToModel(): void;
  /**
   * The layers model's outputs for x [n, …input] (probabilities for a softmax model) from the
   * network's current weights, INFERENCE_BATCH rows per pass: the native blocks pool before
   * bias and activation, and pool on oneDNN where it is on, so this is about twice as fast as
   * tf.layers' predict.
   */
  predict(x: tf.Tensor): tf.Tensor2D;
  /** The optimizer's slots (moments, momentum), for checkpoints. */
  exportOptimizer(): Promise<OptimizerSlots>;
  /** Restores slots saved by exportOptimizer, and the count of steps taken. */
  importOptimizer(saved: OptimizerSlots, step: number): Promise<void>;
  dispose(): void;
}

let variableCounter = 0;

/** A block of the compiled network and the parameters it reads, by name. */
interface CompiledBlock {
  name: string;
  block: NativeBlock<string>;
  /** Indices into the network's parameter list (the layers model's weight order). */
  params: Array<{ name: string; index: number }>;
}

/** What the compiler decided, before any TensorFlow variable exists. */
/** A layer that owns parameters: where they sit in the network's list and in the model. */
interface WeightedLayer {
  spec: LayerSpec;
  module: LayerModule<LayerSpec, string>;
  params: Array<{ name: string; index: number }>;
}

interface CompiledPlan {
  weighted: WeightedLayer[];
  /** Empty when compiled without a kit (checks only). */
  blocks: CompiledBlock[];
  paramShapes: number[][];
  loss: LossModule;
}

/** Why a model cannot take the native path, or null when it can. */
export function nativeUnsupportedReason(
  model: tf.LayersModel,
  config: TrainingConfig,
): string | null {
  const ops = nativeOps();
  try {
    compilePlan(architectureFor(config), model, null);
    return ops ? null : 'the backend is not native TensorFlow';
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * Builds the native network for `model` with its current weights as the starting point, or
 * returns null when the model or backend is not supported (the caller falls back to tfjs).
 */
export function createNativeNetwork(
  model: tf.LayersModel,
  config: TrainingConfig,
): NativeNetwork | null {
  const ops = nativeOps();
  if (!ops || nativeUnsupportedReason(model, config) !== null) return null;
  return buildNetwork(ops, model, config, architectureFor(config));
}

/**
 * Checks every spec has a native path, the loss fits the output layer and the model's weights
 * have the planned shapes; returns the blocks to build (throws with the reason otherwise).
 * With `kit` null, only the checks run.
 */
function compilePlan(
  arch: Architecture,
  model: tf.LayersModel,
  kit: NativeKit | null,
): CompiledPlan {
  const loss = LOSSES[arch.loss];
  const planned = planLayers(arch.layers, arch.input);
  for (const { spec } of planned) {
    const module = moduleOf(spec);
    if (!module.native) {
      throw new Error(`layer ${spec.name} (${module.className}) runs on the portable path only`);
    }
  }
  // The loss may take over the output layer's activation (softmax into cross-entropy).
  const last = planned.at(-1);
  if (!last) throw new Error('the architecture has no layers');
  const outputAct = (last.spec as { activation?: string }).activation ?? null;
  if (loss.fusedOutputActivation !== null) {
    if (outputAct !== loss.fusedOutputActivation) {
      throw new Error(
        `layer ${last.spec.name}: the ${loss.name} loss needs a ${loss.fusedOutputActivation} output, not ${outputAct ?? 'none'}`,
      );
    }
    last.spec = { ...last.spec, activation: 'linear' } as LayerSpec;
  }
  for (const { spec } of planned) {
    const reason = moduleOf(spec).native?.unsupported?.(spec);
    if (reason) throw new Error(reason);
  }

  // Every layer of the model is one of the plan's, and holds the plan's parameters (as the
  // module's tf.layers expression stores them), so the weights go back with setWeights.
  const names = new Set(planned.map((l) => l.spec.name));
  const stray = model.layers.find((l) => !names.has(l.name));
  if (stray) throw new Error(`the model's layer ${stray.name} is not in the ${arch.preset} plan`);
  const weighted: WeightedLayer[] = [];
  let index = 0;
  for (const { spec, plan } of planned) {
    const layer = model.layers.find((l) => l.name === spec.name);
    if (!layer)
      throw new Error(`layer ${spec.name} of the ${arch.preset} plan is not in the model`);
    const module = moduleOf(spec);
    const shapes = layer.getWeights().map((w) => w.shape);
    const planShapes = plan.params.map((p) => p.shape);
    if (!isConverted(spec) && JSON.stringify(shapes) !== JSON.stringify(planShapes)) {
      throw new Error(
        `layer ${spec.name}: the model's weights [${shapes.map((s) => s.join('×')).join(', ')}] are not the ${arch.preset} plan's [${planShapes.map((s) => s.join('×')).join(', ')}]`,
      );
    }
    if (plan.params.length > 0) {
      weighted.push({
        spec,
        module,
        params: plan.params.map((p) => ({ name: p.name, index: index++ })),
      });
    }
  }
  const paramShapes = planned.flatMap((l) => l.plan.params.map((p) => p.shape));

  const blocks: CompiledBlock[] = [];
  let paramIndex = 0;
  for (let i = 0; kit && i < planned.length; i++) {
    const layer = planned[i]!;
    const next = planned[i + 1] ?? null;
    const params = layer.plan.params.map((p) => ({ name: p.name, index: paramIndex++ }));
    // Building makes no tensors (constants come from the kit on first use).
    const built = moduleOf(layer.spec).native!.build(
      layer.spec,
      { kit, input: layer.input, output: layer.plan.output },
      next ? { spec: next.spec, output: next.plan.output } : null,
    );
    blocks.push({ name: layer.spec.name, block: built.block, params });
    if (built.absorbsNext && next) {
      if (next.plan.params.length > 0) {
        throw new Error(
          `layer ${layer.spec.name} cannot absorb ${next.spec.name}, which has weights`,
        );
      }
      i++;
    }
  }
  return { weighted, blocks, paramShapes, loss };
}

function buildNetwork(
  ops: NativeOps,
  model: tf.LayersModel,
  config: TrainingConfig,
  arch: Architecture,
): NativeNetwork {
  const { op, ops: opN, attr } = ops;
  const kit = createNativeKit(ops);
  const plan = compilePlan(arch, model, kit);
  const A = {
    read: [attr.type('dtype', 'float32')],
    assign: [attr.type('dtype', 'float32'), attr.bool('validate_shape', false)],
    destroy: [attr.bool('ignore_lookup_error', true)],
  };

  const handles: tf.Tensor[] = [];
  function variable(init: tf.Tensor): tf.Tensor {
    const handle = op(
      'VarHandleOp',
      [
        attr.str('container', ''),
        // Unique per process: two networks in one engine must never share variables.
        attr.str('shared_name', `lenet_studio_${process.pid}_${variableCounter++}`),
        attr.type('dtype', 'float32'),
        attr.shape('shape', init.shape),
      ],
      [],
    );
    opN('AssignVariableOp', A.assign, [handle, init], 0);
    handles.push(handle);
    return handle;
  }
  const zerosVariable = (shape: number[]) => {
    const zeros = tf.zeros(shape);
    const handle = variable(zeros);
    zeros.dispose();
    return handle;
  };

  // All parameters live in ONE flat variable, in plan order (the layers model's weight order
  // for kinds whose tf.layers weights are their parameters), and each optimizer slot in one flat
  // variable beside it: the update is one ResourceApply… kernel per step. TensorFlow's
  // ResourceApplyAdam hands every call to its thread pool (~50 µs on two threads, whatever the
  // size, measured): ten of them were 8% of a LeNet-5 step. The forward reads the variable
  // once and splits it into the parameters' shapes.
  const sizes = plan.paramShapes.map((shape) => shape.reduce((a, b) => a * b, 1));
  const total = sizes.reduce((a, b) => a + b, 0);
  const initial: tf.Tensor[] = [];
  for (const l of plan.weighted) {
    const weights = model.getLayer(l.spec.name).getWeights();
    const converted = isConverted(l.spec) ? l.module.layerWeights : undefined;
    const named = converted
      ? tf.tidy(() => converted.toParams(l.spec, weights))
      : Object.fromEntries(l.params.map((p, k) => [p.name, weights[k]!]));
    for (const p of l.params) initial.push(named[p.name]!.reshape([-1]));
    if (converted) tf.dispose(Object.values(named));
  }
  const flatParams = tf.tidy(() =>
    variable(initial.length > 0 ? tf.concat(initial) : tf.zeros([0])),
  );
  tf.dispose(initial);
  const blocks = plan.blocks;
  const optimizer = OPTIMIZERS[config.optimizer];
  // slots[s]: slot s (optimizer.slots order) of every parameter, flat like the parameters.
  const slots = optimizer.slots.map(() => zerosVariable([total]));
  const sizesTensor = tf.keep(tf.tensor1d(sizes, 'int32'));
  const axis0 = tf.keep(tf.scalar(0, 'int32'));
  const splitAttrs = [attr.float, attr.type('Tlen', 'int32'), attr.int('num_split', sizes.length)];

  /** A flat vector of all parameters as one tensor per parameter, shaped as planned. */
  function unflatten(flat: tf.Tensor): tf.Tensor[] {
    if (sizes.length === 0) return [];
    const pieces =
      sizes.length === 1
        ? [flat]
        : opN('SplitV', splitAttrs, [flat, sizesTensor, axis0], sizes.length);
    return pieces.map((piece, i) =>
      op('Reshape', kit.A.reshape, [piece, kit.shape(plan.paramShapes[i]!)]),
    );
  }
  /** One tensor per parameter into one flat vector, in plan order. */
  function flatten(parts: readonly tf.Tensor[]): tf.Tensor {
    const flat = parts.map((part) => op('Reshape', kit.A.reshape, [part, kit.shape([-1])]));
    return flat.length === 1 ? flat[0]! : tf.concat(flat);
  }
  /** The parameters' current values, one tensor each. */
  const readParams = () => unflatten(op('ReadVariableOp', A.read, [flatParams]));
  const update = optimizer.native(kit);
  const loss = plan.loss;
  let step = 0;

  /**
   * Forward of blocks [from, to) on `a` (batch n), each block keeping (in its tape) what its
   * backward pass needs; the backward (reusable: the tapes are kept) returns the gradients of
   * Σ dy·y for the parameters of those blocks, and the gradient at `a` when `needDx`.
   */
  function run(a: tf.Tensor, n: number, from: number, to: number) {
    const values = readParams();
    const read = (b: CompiledBlock) =>
      Object.fromEntries(b.params.map((p) => [p.name, values[p.index]!]));
    const tapes: Array<Tape<string>> = [];
    for (let i = from; i < to; i++) {
      const tape = blocks[i]!.block.forward(a, read(blocks[i]!), n);
      tapes.push(tape);
      a = tape.y;
    }
    const backward = (dy: tf.Tensor, needDx: boolean) => {
      const grads: tf.Tensor[] = new Array(sizes.length);
      let g = dy;
      for (let i = to - 1; i >= from; i--) {
        const b = blocks[i]!;
        const { dx, grads: named } = tapes[i - from]!.backward(g, i > from || needDx);
        for (const p of b.params) {
          const grad = named[p.name];
          if (!grad) throw new Error(`layer ${b.name} returned no gradient for ${p.name}`);
          grads[p.index] = grad;
        }
        if (dx) g = dx;
      }
      return { grads, dx: g };
    };
    return { y: a, backward };
  }

  function forwardBackward(x: tf.Tensor, y: tf.Tensor, n: number, scale: number) {
    const { y: z, backward } = run(x, n, 0, blocks.length);
    const { losses, dz } = loss.native(kit, z, y);
    // The gradient of the mean loss is dz / n (scale 1/n); a part of a batch split across
    // threads scales by 1 / the whole batch's size, so the parts add up to the mean's.
    const { grads } = backward(op('Mul', kit.A.t, [dz, kit.scalar(scale)]), false);
    return { losses, z, grads };
  }
  const correctOf = (z: tf.Tensor, y: tf.Tensor) => {
    const predicted = loss.nativePredict ? loss.nativePredict(z) : loss.predict(z);
    return tf.equal(predicted, y).sum().toFloat() as tf.Scalar;
  };
  function applyGradient(grad: tf.Tensor, learningRate: number): void {
    if (grad.size !== total) {
      throw new Error(`a gradient of ${grad.size} values for ${total} parameters`);
    }
    step++;
    tf.tidy(() => {
      const toUpdate: NativeParam[] = [{ variable: flatParams, slots, grad }];
      update.apply(toUpdate, tf.scalar(learningRate), step);
    });
  }

  // The curvature estimate splits the network after its last block with parameters.
  const split = blocks.findLastIndex((b) => b.params.length > 0) + 1;
  const curvatureSource: CurvatureSource = {
    paramShapes: plan.paramShapes,
    forward(x) {
      const { y: z, backward } = run(x, x.shape[0] as number, 0, split);
      return { z, backward: (dz) => backward(dz, false).grads };
    },
    criterionGradient(z, labels) {
      const tail = run(z, z.shape[0] as number, split, blocks.length);
      return tail.backward(loss.native(kit, tail.y, labels).dz, true).dx;
    },
  };

  return {
    step(x, y, learningRate) {
      const n = x.shape[0] as number;
      return tf.tidy(() => {
        // The forward and backward in a tidy of their own: the parameters read for them (views
        // of the variable's buffer) are freed before the update writes it, which TensorFlow
        // would otherwise copy first (copy-on-write).
        const { losses, z, grad } = tf.tidy(() => {
          const pass = forwardBackward(x, y, n, 1 / n);
          return { losses: pass.losses, z: pass.z, grad: flatten(pass.grads) };
        });
        applyGradient(grad, learningRate);
        return { lossSum: losses.sum() as tf.Scalar, correct: correctOf(z, y) };
      });
    },
    gradient(x, y, scale) {
      const n = x.shape[0] as number;
      return tf.tidy(() => {
        const pass = forwardBackward(x, y, n, scale);
        return {
          grad: flatten(pass.grads) as tf.Tensor1D,
          lossSum: pass.losses.sum() as tf.Scalar,
          correct: correctOf(pass.z, y),
        };
      });
    },
    applyGradient,
    readParams() {
      const value = op('ReadVariableOp', A.read, [flatParams]);
      const values = value.dataSync() as Float32Array;
      value.dispose();
      return values;
    },
    writeParams(values) {
      if (values.length !== total) {
        throw new Error(`${values.length} values for the network's ${total} parameters`);
      }
      const value = tf.tensor1d(values);
      opN('AssignVariableOp', A.assign, [flatParams, value], 0);
      value.dispose();
    },
    estimateCurvature(x, y, seed) {
      const curvature = optimizer.curvature;
      if (!curvature) return;
      const slot = optimizer.slots.indexOf(curvature.slot);
      if (slot < 0) throw new Error(`${config.optimizer}: no slot ${curvature.slot}`);
      const estimates = curvature.estimate(curvatureSource, x, y, seed);
      tf.tidy(() => opN('AssignVariableOp', A.assign, [slots[slot]!, flatten(estimates)], 0));
      tf.dispose(estimates);
    },
    predict(x) {
      const n = x.shape[0] as number;
      return tf.tidy(() => {
        const parts: tf.Tensor[] = [];
        for (let start = 0; start < n; start += INFERENCE_BATCH) {
          const size = Math.min(INFERENCE_BATCH, n - start);
          const rows = size === n ? x : tf.slice(x, start, size);
          const z = run(rows, size, 0, blocks.length).y;
          // The loss took over the output activation for training (softmax into the
          // cross-entropy): put it back, so the outputs are the layers model's.
          const fused = loss.fusedOutputActivation;
          parts.push(
            fused === 'softmax'
              ? op('Softmax', kit.A.t, [z])
              : fused
                ? referenceActivation(fused, z)
                : z,
          );
        }
        return (parts.length === 1 ? parts[0]! : tf.concat(parts)) as tf.Tensor2D;
      });
    },
    copyToModel() {
      tf.tidy(() => {
        const values = readParams();
        for (const l of plan.weighted) {
          const named = Object.fromEntries(l.params.map((p) => [p.name, values[p.index]!]));
          model
            .getLayer(l.spec.name)
            .setWeights(
              isConverted(l.spec)
                ? l.module.layerWeights!.fromParams(l.spec, named)
                : l.params.map((p) => named[p.name]!),
            );
        }
      });
    },
    async exportOptimizer() {
      // Stored per parameter, as before the slots were flat: checkpoints stay readable both ways.
      const names = nativeSlotNames(optimizer, sizes.length);
      const perParameter = slots.flatMap((h) => {
        const value = op('ReadVariableOp', A.read, [h]);
        const all = value.dataSync() as Float32Array;
        value.dispose();
        let offset = 0;
        return sizes.map((size) => all.slice(offset, (offset += size)));
      });
      return {
        kind: 'native',
        slots: perParameter.map((values, k) => ({
          name: names[k]!,
          shape: plan.paramShapes[k % sizes.length]!,
          values,
        })),
      };
    },
    async importOptimizer(saved, steps) {
      const names = nativeSlotNames(optimizer, sizes.length);
      const expected = slots.length * sizes.length;
      if (saved.kind !== 'native' || saved.slots.length !== expected) {
        throw new Error(
          `the checkpoint's optimizer state (${saved.kind}, ${saved.slots.length} slots) does not fit this run`,
        );
      }
      const misnamed = saved.slots.find((s, k) => s.name !== names[k]);
      if (misnamed) {
        throw new Error(
          `the checkpoint's optimizer slot ${misnamed.name} is not one of ${config.optimizer}'s (${optimizer.slots.join(', ') || 'none'})`,
        );
      }
      const wrong = saved.slots.find((s, k) => s.values.length !== sizes[k % sizes.length]);
      if (wrong) {
        throw new Error(`the checkpoint's optimizer slot ${wrong.name} has the wrong size`);
      }
      slots.forEach((handle, s) => {
        const flat = new Float32Array(total);
        let offset = 0;
        for (let i = 0; i < sizes.length; i++) {
          const values = saved.slots[s * sizes.length + i]!.values;
          flat.set(values, offset);
          offset += values.length;
        }
        const value = tf.tensor1d(flat);
        opN('AssignVariableOp', A.assign, [handle, value], 0);
        value.dispose();
      });
      step = steps;
    },
    dispose() {
      for (const h of handles) opN('DestroyResourceOp', A.destroy, [h], 0);
      tf.dispose([...handles, sizesTensor, axis0]);
      update.dispose();
      kit.dispose();
    },
  };
}
