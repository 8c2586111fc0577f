// Trains a tf.layers model through TensorFlow's native training kernels (see native-ops.ts).
// The layers model is "compiled" into a forward and a hand-written backward pass when every
// layer is one we know: [Conv2D → optional 2×2 pooling]* → Flatten → Dense* → Dense(softmax),
// with relu/tanh/sigmoid/linear activations. Weights and optimizer slots live in TensorFlow
// resource variables, updated in place by ResourceApply{Adam,Momentum,GradientDescent}.
// Anything else (dropout, other layers) returns null and the portable tfjs path is used.
import * as tf from '@tensorflow/tfjs-node';
import type { TrainingConfig } from '../shared/training-config';
import type { OptimizerSlots } from './checkpoint';
import { nativeOps, type NativeOps, type OpAttr } from './native-ops';

type Activation = 'relu' | 'tanh' | 'sigmoid' | 'linear';
type Shape3 = [number, number, number];

interface ConvBlock {
  kind: 'conv';
  w: tf.Tensor;
  b: tf.Tensor;
  padding: 'SAME' | 'VALID';
  act: Activation;
  pool: 'max' | 'avg' | null;
  input: Shape3;
  /** Shape of the convolution output, before pooling. */
  conv: Shape3;
  kernelShape: number[];
}
interface FlattenBlock {
  kind: 'flatten';
  from: Shape3;
}
interface DenseBlock {
  kind: 'dense';
  w: tf.Tensor;
  b: tf.Tensor;
  act: Activation;
}
type Block = ConvBlock | FlattenBlock | DenseBlock;

export interface StepResult {
  /** Sum of the per-example losses of the batch. */
  lossSum: tf.Scalar;
  /** Number of correct predictions in the batch. */
  correct: tf.Scalar;
}

export interface NativeNetwork {
  /** One optimisation step on a batch: x [n,28,28,1] float32, y [n] int32 class indices. */
  step(x: tf.Tensor, y: tf.Tensor, learningRate: number): StepResult;
  /** Copies the trained weights into the layers model (for evaluation, prediction, export). */
  copyToModel(): void;
  /** The optimizer's slots (moments, momentum), for checkpoints. */
  exportOptimizer(): Promise<OptimizerSlots>;
  /** Restores slots saved by exportOptimizer, and the count of steps taken. */
  importOptimizer(saved: OptimizerSlots, step: number): Promise<void>;
  dispose(): void;
}

const ACTIVATIONS = new Set<string>(['relu', 'tanh', 'sigmoid', 'linear']);
let variableCounter = 0;

/** [h, w, c] of a layer output shape [null, h, w, c]. */
function shape3(shape: tf.Shape | tf.Shape[], what: string): Shape3 {
  const s = (Array.isArray(shape[0]) ? shape[0] : shape) as tf.Shape;
  if (s.length !== 4) throw new Error(`${what}: expected a 4-D shape, got [${s.join(',')}]`);
  return [s[1] as number, s[2] as number, s[3] as number];
}

/** Why a model cannot take the native path, or null when it can. */
export function nativeUnsupportedReason(
  model: tf.LayersModel,
  config: TrainingConfig,
): string | null {
  try {
    describeLayers(model, config);
    return nativeOps() ? null : 'the backend is not native TensorFlow';
  } catch (err) {
    return (err as Error).message;
  }
}

interface LayerPlan {
  blocks: Array<
    | {
        kind: 'conv';
        layer: tf.layers.Layer;
        padding: 'SAME' | 'VALID';
        act: Activation;
        pool: 'max' | 'avg' | null;
        input: Shape3;
        conv: Shape3;
      }
    | { kind: 'flatten'; from: Shape3 }
    | { kind: 'dense'; layer: tf.layers.Layer; act: Activation }
  >;
}

/** Reads the layers model into blocks; throws with the reason when a layer is not supported. */
function describeLayers(model: tf.LayersModel, config: TrainingConfig): LayerPlan {
  const layers = model.layers;
  const blocks: LayerPlan['blocks'] = [];
  // The shape flowing into the current layer, starting with the model's input.
  let current: tf.Shape | tf.Shape[] = model.inputs[0]?.shape ?? [];
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i] as tf.layers.Layer;
    const cfg = layer.getConfig() as Record<string, unknown>;
    const kind = layer.getClassName();
    const act = String(cfg.activation ?? 'linear');
    if (kind === 'Conv2D') {
      const ok =
        JSON.stringify(cfg.strides) === '[1,1]' &&
        JSON.stringify(cfg.dilationRate ?? [1, 1]) === '[1,1]' &&
        cfg.useBias === true &&
        (cfg.dataFormat ?? 'channelsLast') === 'channelsLast' &&
        ACTIVATIONS.has(act);
      if (!ok) throw new Error(`layer ${layer.name}: unsupported Conv2D settings`);
      const next = layers[i + 1];
      let pool: 'max' | 'avg' | null = null;
      if (
        next &&
        (next.getClassName() === 'MaxPooling2D' || next.getClassName() === 'AveragePooling2D')
      ) {
        const p = next.getConfig() as Record<string, unknown>;
        if (
          JSON.stringify(p.poolSize) !== '[2,2]' ||
          JSON.stringify(p.strides) !== '[2,2]' ||
          p.padding !== 'valid'
        ) {
          throw new Error(`layer ${next.name}: only 2×2 pooling with stride 2 is supported`);
        }
        pool = next.getClassName() === 'MaxPooling2D' ? 'max' : 'avg';
        i++;
      }
      blocks.push({
        kind: 'conv',
        layer,
        padding: cfg.padding === 'same' ? 'SAME' : 'VALID',
        act: act as Activation,
        pool,
        input: shape3(current, layer.name),
        conv: shape3(layer.outputShape, layer.name),
      });
      current = (pool ? layers[i] : layer)!.outputShape;
    } else if (kind === 'Flatten') {
      blocks.push({ kind: 'flatten', from: shape3(current, layer.name) });
      current = layer.outputShape;
    } else if (kind === 'Dense') {
      const last = i === layers.length - 1;
      if (cfg.useBias !== true) throw new Error(`layer ${layer.name}: dense layers need a bias`);
      if (last ? act !== 'softmax' : !ACTIVATIONS.has(act)) {
        throw new Error(`layer ${layer.name}: activation ${act} is not supported here`);
      }
      blocks.push({ kind: 'dense', layer, act: last ? 'linear' : (act as Activation) });
      current = layer.outputShape;
    } else {
      throw new Error(`layer ${layer.name} (${kind}) runs on the portable path only`);
    }
  }
  if (!['sgd', 'momentum', 'adam'].includes(config.optimizer))
    throw new Error(`optimizer ${config.optimizer}`);
  return { blocks };
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
  return buildNetwork(ops, model, config, describeLayers(model, config));
}

function buildNetwork(
  ops: NativeOps,
  model: tf.LayersModel,
  config: TrainingConfig,
  plan: LayerPlan,
): NativeNetwork {
  const { op, ops: opN, attr } = ops;
  const T = attr.float;
  const NHWC = attr.str('data_format', 'NHWC');
  const conv = (padding: string): OpAttr[] => [
    T,
    attr.int('strides', [1, 1, 1, 1]),
    attr.bool('use_cudnn_on_gpu', true),
    attr.str('padding', padding),
    attr.int('explicit_paddings', []),
    NHWC,
    attr.int('dilations', [1, 1, 1, 1]),
  ];
  const A = {
    convSame: conv('SAME'),
    convValid: conv('VALID'),
    pool: [
      T,
      attr.int('ksize', [1, 2, 2, 1]),
      attr.int('strides', [1, 2, 2, 1]),
      attr.str('padding', 'VALID'),
      NHWC,
    ],
    mmNN: [attr.bool('transpose_a', false), attr.bool('transpose_b', false), T],
    mmTN: [attr.bool('transpose_a', true), attr.bool('transpose_b', false), T],
    mmNT: [attr.bool('transpose_a', false), attr.bool('transpose_b', true), T],
    bias: [T, NHWC],
    t: [T],
    reshape: [T, attr.type('Tshape', 'int32')],
    ssce: [T, attr.type('Tlabels', 'int32')],
    read: [attr.type('dtype', 'float32')],
    assign: [attr.type('dtype', 'float32'), attr.bool('validate_shape', false)],
    destroy: [attr.bool('ignore_lookup_error', true)],
    adam: [T, attr.bool('use_locking', false), attr.bool('use_nesterov', false)],
    momentum: [T, attr.bool('use_locking', false), attr.bool('use_nesterov', false)],
    sgd: [T, attr.bool('use_locking', false)],
  };
  const convAttrs = (padding: 'SAME' | 'VALID') => (padding === 'SAME' ? A.convSame : A.convValid);

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

  // Parameters in the layers model's weight order, so copyToModel is a plain setWeights.
  const params: tf.Tensor[] = [];
  const blocks: Block[] = plan.blocks.map((b) => {
    if (b.kind === 'flatten') return b;
    const [kernel, bias] = b.layer.getWeights() as [tf.Tensor, tf.Tensor];
    const w = variable(kernel);
    const bv = variable(bias);
    params.push(w, bv);
    if (b.kind === 'dense') return { kind: 'dense', w, b: bv, act: b.act };
    return {
      kind: 'conv',
      w,
      b: bv,
      padding: b.padding,
      act: b.act,
      pool: b.pool,
      input: b.input,
      conv: b.conv,
      kernelShape: kernel.shape,
    };
  });
  const paramShapes = model.getWeights().map((w) => w.shape);

  // Optimizer slots, one or two per parameter.
  const slots1 = config.optimizer === 'sgd' ? [] : paramShapes.map(zerosVariable);
  const slots2 = config.optimizer === 'adam' ? paramShapes.map(zerosVariable) : [];
  const constants = {
    beta1: tf.scalar(0.9),
    beta2: tf.scalar(0.999),
    epsilon: tf.scalar(1e-7),
    momentum: tf.scalar(0.9),
    flatShapes: new Map<number, tf.Tensor>(),
    unflatShapes: new Map<Block, tf.Tensor>(),
    kernelShapes: new Map<Block, tf.Tensor>(),
  };
  for (const block of blocks) {
    if (block.kind === 'flatten') {
      const [h, w, c] = block.from;
      constants.flatShapes.set(h * w * c, tf.tensor1d([-1, h * w * c], 'int32'));
      constants.unflatShapes.set(block, tf.tensor1d([-1, h, w, c], 'int32'));
    } else if (block.kind === 'conv') {
      constants.kernelShapes.set(block, tf.tensor1d(block.kernelShape, 'int32'));
    }
  }
  // Shape tensors that depend on the batch size (the last batch is usually smaller).
  const perBatch = new Map<number, { invN: tf.Scalar; shapes: Map<string, tf.Tensor> }>();
  function batchConstants(n: number) {
    let c = perBatch.get(n);
    if (!c) {
      c = { invN: tf.keep(tf.scalar(1 / n)), shapes: new Map() };
      perBatch.set(n, c);
    }
    return c;
  }
  function batchShape(n: number, key: string, shape: Shape3): tf.Tensor {
    const c = batchConstants(n);
    let t = c.shapes.get(key);
    if (!t) {
      t = tf.keep(tf.tensor1d([n, ...shape], 'int32'));
      c.shapes.set(key, t);
    }
    return t;
  }

  const activate = (act: Activation, x: tf.Tensor) =>
    act === 'relu'
      ? op('Relu', A.t, [x])
      : act === 'tanh'
        ? op('Tanh', A.t, [x])
        : act === 'sigmoid'
          ? op('Sigmoid', A.t, [x])
          : x;
  /** d(act)/dx given the activation's output y and the incoming gradient dy. */
  const activationGrad = (act: Activation, y: tf.Tensor, dy: tf.Tensor) =>
    act === 'relu'
      ? op('ReluGrad', A.t, [dy, y])
      : act === 'tanh'
        ? op('TanhGrad', A.t, [y, dy])
        : act === 'sigmoid'
          ? op('SigmoidGrad', A.t, [y, dy])
          : dy;

  let step = 0;

  function forwardBackward(x: tf.Tensor, y: tf.Tensor, n: number) {
    const K = batchConstants(n);
    const values = params.map((h) => op('ReadVariableOp', A.read, [h]));
    let pi = 0;
    // Forward, remembering what each block's backward pass needs.
    const saved: Array<Record<string, tf.Tensor>> = [];
    let a = x;
    for (const block of blocks) {
      if (block.kind === 'conv') {
        const w = values[pi++] as tf.Tensor;
        const b = values[pi++] as tf.Tensor;
        const c = op('Conv2D', convAttrs(block.padding), [a, w]);
        if (block.pool === 'max') {
          // Pool first, then bias and activation: exact, since the bias is per channel and the
          // activations are monotonic, and 4× less work for bias, activation and their grads.
          const q = op('MaxPool', A.pool, [c]);
          const out = activate(block.act, op('BiasAdd', A.bias, [q, b]));
          saved.push({ input: a, w, c, q, out });
          a = out;
        } else {
          const h = activate(block.act, op('BiasAdd', A.bias, [c, b]));
          const out = block.pool === 'avg' ? op('AvgPool', A.pool, [h]) : h;
          saved.push({ input: a, w, h, out });
          a = out;
        }
      } else if (block.kind === 'flatten') {
        const [hh, ww, cc] = block.from;
        saved.push({});
        a = op('Reshape', A.reshape, [a, constants.flatShapes.get(hh * ww * cc) as tf.Tensor]);
      } else {
        const w = values[pi++] as tf.Tensor;
        const b = values[pi++] as tf.Tensor;
        const out = activate(block.act, op('BiasAdd', A.bias, [op('MatMul', A.mmNN, [a, w]), b]));
        saved.push({ input: a, w, out });
        a = out;
      }
    }
    const logits = a;
    const [losses, dLogits] = opN(
      'SparseSoftmaxCrossEntropyWithLogits',
      A.ssce,
      [logits, y],
      2,
    ) as [tf.Tensor, tf.Tensor];

    // Backward, last block first. The gradient of the mean loss is dLogits / n.
    const grads: tf.Tensor[] = new Array(params.length);
    let g = op('Mul', A.t, [dLogits, K.invN]);
    let gi = params.length;
    for (let i = blocks.length - 1; i >= 0; i--) {
      const block = blocks[i] as Block;
      const s = saved[i] as Record<string, tf.Tensor>;
      if (block.kind === 'dense') {
        const dz = activationGrad(block.act, s.out as tf.Tensor, g);
        grads[--gi] = op('BiasAddGrad', A.bias, [dz]);
        grads[--gi] = op('MatMul', A.mmTN, [s.input as tf.Tensor, dz]);
        if (i > 0) g = op('MatMul', A.mmNT, [dz, s.w as tf.Tensor]);
      } else if (block.kind === 'flatten') {
        g = op('Reshape', A.reshape, [g, constants.unflatShapes.get(block) as tf.Tensor]);
      } else {
        let dc: tf.Tensor;
        if (block.pool === 'max') {
          const dq = activationGrad(block.act, s.out as tf.Tensor, g);
          grads[gi - 1] = op('BiasAddGrad', A.bias, [dq]);
          dc = op('MaxPoolGrad', A.pool, [s.c as tf.Tensor, s.q as tf.Tensor, dq]);
        } else {
          const dh =
            block.pool === 'avg'
              ? op('AvgPoolGrad', A.pool, [batchShape(n, `avg${i}`, block.conv), g])
              : g;
          dc = activationGrad(block.act, s.h as tf.Tensor, dh);
          grads[gi - 1] = op('BiasAddGrad', A.bias, [dc]);
        }
        gi--;
        grads[--gi] = op('Conv2DBackpropFilter', convAttrs(block.padding), [
          s.input as tf.Tensor,
          constants.kernelShapes.get(block) as tf.Tensor,
          dc,
        ]);
        if (i > 0) {
          g = op('Conv2DBackpropInput', convAttrs(block.padding), [
            batchShape(n, `in${i}`, block.input),
            s.w as tf.Tensor,
            dc,
          ]);
        }
      }
    }
    return { losses, logits, grads };
  }

  function apply(grads: tf.Tensor[], learningRate: number): void {
    step++;
    const lr = tf.scalar(learningRate);
    if (config.optimizer === 'adam') {
      const b1p = tf.scalar(0.9 ** step);
      const b2p = tf.scalar(0.999 ** step);
      params.forEach((p, i) =>
        opN(
          'ResourceApplyAdam',
          A.adam,
          [
            p,
            slots1[i]!,
            slots2[i]!,
            b1p,
            b2p,
            lr,
            constants.beta1,
            constants.beta2,
            constants.epsilon,
            grads[i]!,
          ],
          0,
        ),
      );
    } else if (config.optimizer === 'momentum') {
      params.forEach((p, i) =>
        opN(
          'ResourceApplyMomentum',
          A.momentum,
          [p, slots1[i]!, lr, grads[i]!, constants.momentum],
          0,
        ),
      );
    } else {
      params.forEach((p, i) => opN('ResourceApplyGradientDescent', A.sgd, [p, lr, grads[i]!], 0));
    }
  }

  return {
    step(x, y, learningRate) {
      const n = x.shape[0] as number;
      return tf.tidy(() => {
        const { losses, logits, grads } = forwardBackward(x, y, n);
        apply(grads, learningRate);
        const correct = tf.equal(tf.argMax(logits, 1), y).sum().toFloat() as tf.Scalar;
        return { lossSum: losses.sum() as tf.Scalar, correct };
      });
    },
    copyToModel() {
      const values = tf.tidy(() => params.map((h) => op('ReadVariableOp', A.read, [h])));
      model.setWeights(values);
      tf.dispose(values);
    },
    async exportOptimizer() {
      const named = [
        ...slots1.map((h, i) => ({
          name: `${i}/${config.optimizer === 'adam' ? 'm' : 'accum'}`,
          h,
          shape: paramShapes[i]!,
        })),
        ...slots2.map((h, i) => ({ name: `${i}/v`, h, shape: paramShapes[i]! })),
      ];
      return {
        kind: 'native',
        slots: named.map(({ name, h, shape }) => {
          const value = op('ReadVariableOp', A.read, [h]);
          const values = value.dataSync() as Float32Array;
          value.dispose();
          return { name, shape, values };
        }),
      };
    },
    async importOptimizer(saved, steps) {
      const handles = [...slots1, ...slots2];
      if (saved.kind !== 'native' || saved.slots.length !== handles.length) {
        throw new Error(
          `the checkpoint's optimizer state (${saved.kind}, ${saved.slots.length} slots) does not fit this run`,
        );
      }
      saved.slots.forEach((slot, i) => {
        const value = tf.tensor(slot.values, slot.shape);
        opN('AssignVariableOp', A.assign, [handles[i]!, value], 0);
        value.dispose();
      });
      step = steps;
    },
    dispose() {
      for (const h of handles) opN('DestroyResourceOp', A.destroy, [h], 0);
      tf.dispose(handles);
      tf.dispose([constants.beta1, constants.beta2, constants.epsilon, constants.momentum]);
      tf.dispose([
        ...constants.flatShapes.values(),
        ...constants.unflatShapes.values(),
        ...constants.kernelShapes.values(),
      ]);
      for (const c of perBatch.values()) tf.dispose([c.invN, ...c.shapes.values()]);
    },
  };
}
