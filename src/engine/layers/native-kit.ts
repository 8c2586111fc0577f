// What a layer, loss or optimizer module needs to run TensorFlow ops on the native path: the
// ops themselves, the attribute lists they share, int32 shape constants made on first use and
// kept until the network is disposed (no per-step allocation of constants), and max pooling on
// the fastest kernel the TensorFlow build has.
import * as tf from '@tensorflow/tfjs-node';
import type { NativeOps, OpAttr } from '../native-ops';

export interface NativeKit {
  op: NativeOps['op'];
  ops: NativeOps['ops'];
  attr: NativeOps['attr'];
  /** Attribute lists shared by several modules. */
  A: {
    /** Just the float type (elementwise ops). */
    t: OpAttr[];
    bias: OpAttr[];
    reshape: OpAttr[];
    /** MatMul, each operand optionally transposed. */
    mmNN: OpAttr[];
    mmTN: OpAttr[];
    mmNT: OpAttr[];
    /** Conv2D and its backprops, stride 1. */
    conv(padding: 'SAME' | 'VALID'): OpAttr[];
    /** MaxPool / AvgPool and their grads, VALID padding. */
    pool(size: number, stride: number): OpAttr[];
  };
  /** An int32 1-D tensor holding `dims`, made once per network. */
  shape(dims: readonly number[]): tf.Tensor;
  /** A constant tensor under `key`, made by `make` on first use, once per network. */
  constant(key: string, make: () => tf.Tensor): tf.Tensor;
  /** A float32 scalar, made once per network. */
  scalar(value: number): tf.Scalar;
  /**
   * Max pooling (VALID) and, later in the same step, its gradient. With oneDNN on, its own
   * pooling kernels run (they keep the argmax as a workspace): measured on a Xeon with
   * AVX-512, the C1 pool's backward takes 0.54 ms instead of MaxPoolGrad's 1.94 ms at batch
   * 128, the same numbers exactly. Elsewhere TensorFlow's MaxPool and MaxPoolGrad.
   */
  maxPool(x: tf.Tensor, size: number, stride: number): MaxPooled;
  /** Which max-pool kernels maxPool runs. */
  readonly poolKernels: 'onednn' | 'tensorflow';
  /**
   * The gradient of a bias added along the last axis: dy summed over every other axis. A Sum
   * rather than BiasAddGrad, which took 130–170 µs on C1's [128,14,14,6] where Sum takes 80 µs
   * (measured, two threads, AVX-512): the same sums in another order.
   */
  biasGrad(dy: tf.Tensor): tf.Tensor;
  /** Frees every constant made through this kit. */
  dispose(): void;
}

export interface MaxPooled {
  y: tf.Tensor;
  /** The gradient at the pool's input from the gradient at its output. */
  grad(dy: tf.Tensor): tf.Tensor;
}

/** oneDNN is on for this process: the engine sets the variable before TensorFlow loads. */
function onednnRequested(env: NodeJS.ProcessEnv): boolean {
  const value = env.TF_ENABLE_ONEDNN_OPTS?.toLowerCase();
  return value === '1' || value === 'true';
}

/**
 * oneDNN's native-format pooling ops are internal to TensorFlow: they exist only in builds with
 * oneDNN (x86-64 Linux and Windows wheels) and answer only to their kernel label. One tiny
 * call tells whether this build has them.
 */
function onednnPoolingWorks(native: NativeOps, attrs: OpAttr[]): boolean {
  try {
    tf.tidy(() => {
      native.ops('_MklNativeMaxPool', attrs, [tf.zeros([1, 2, 2, 1])], 2);
    });
    return true;
  } catch {
    return false;
  }
}

export function createNativeKit(
  native: NativeOps,
  env: NodeJS.ProcessEnv = process.env,
): NativeKit {
  const { attr } = native;
  const T = attr.float;
  const NHWC = attr.str('data_format', 'NHWC');
  const poolBase = (size: number, stride: number): OpAttr[] => [
    T,
    attr.int('ksize', [1, size, size, 1]),
    attr.int('strides', [1, stride, stride, 1]),
    attr.str('padding', 'VALID'),
    NHWC,
  ];
  const onednnPool = (size: number, stride: number): OpAttr[] => [
    ...poolBase(size, stride),
    attr.bool('workspace_enabled', true),
    attr.str('_kernel', 'MklNameChangeOp'),
  ];
  const poolKernels: 'onednn' | 'tensorflow' =
    onednnRequested(env) && onednnPoolingWorks(native, onednnPool(2, 2)) ? 'onednn' : 'tensorflow';
  const convAttrs = new Map<string, OpAttr[]>();
  const poolAttrs = new Map<string, OpAttr[]>();
  const onednnPoolAttrs = new Map<string, OpAttr[]>();
  /** Attribute lists by pool size and stride, made once per network. */
  const cached =
    (map: Map<string, OpAttr[]>, make: typeof poolBase) => (size: number, stride: number) => {
      const key = `${size}/${stride}`;
      let a = map.get(key);
      if (!a) {
        a = make(size, stride);
        map.set(key, a);
      }
      return a;
    };
  const tensorflowPool = cached(poolAttrs, poolBase);
  const onednnPoolCached = cached(onednnPoolAttrs, onednnPool);
  const sumAttrs = [T, attr.type('Tidx', 'int32'), attr.bool('keep_dims', false)];
  const biasAxes = new Map<number, tf.Tensor>();
  const shapes = new Map<string, tf.Tensor>();
  const scalars = new Map<number, tf.Scalar>();
  const constants = new Map<string, tf.Tensor>();
  return {
    op: native.op,
    ops: native.ops,
    attr,
    A: {
      t: [T],
      bias: [T, NHWC],
      reshape: [T, attr.type('Tshape', 'int32')],
      mmNN: [attr.bool('transpose_a', false), attr.bool('transpose_b', false), T],
      mmTN: [attr.bool('transpose_a', true), attr.bool('transpose_b', false), T],
      mmNT: [attr.bool('transpose_a', false), attr.bool('transpose_b', true), T],
      conv(padding) {
        let a = convAttrs.get(padding);
        if (!a) {
          a = [
            T,
            attr.int('strides', [1, 1, 1, 1]),
            attr.bool('use_cudnn_on_gpu', true),
            attr.str('padding', padding),
            attr.int('explicit_paddings', []),
            NHWC,
            attr.int('dilations', [1, 1, 1, 1]),
          ];
          convAttrs.set(padding, a);
        }
        return a;
      },
      pool: tensorflowPool,
    },
    poolKernels,
    maxPool(x, size, stride) {
      if (poolKernels === 'onednn') {
        const attrs = onednnPoolCached(size, stride);
        const [y, workspace] = native.ops('_MklNativeMaxPool', attrs, [x], 2) as [
          tf.Tensor,
          tf.Tensor,
        ];
        return {
          y,
          grad: (dy) => native.op('_MklNativeMaxPoolGrad', attrs, [x, y, dy, workspace]),
        };
      }
      const attrs = tensorflowPool(size, stride);
      const y = native.op('MaxPool', attrs, [x]);
      return { y, grad: (dy) => native.op('MaxPoolGrad', attrs, [x, y, dy]) };
    },
    biasGrad(dy) {
      const rank = dy.shape.length;
      let axes = biasAxes.get(rank);
      if (!axes) {
        // Kept: made inside a step's tidy, it must outlive it.
        axes = tf.keep(
          tf.tensor1d(
            Array.from({ length: rank - 1 }, (_, i) => i),
            'int32',
          ),
        );
        biasAxes.set(rank, axes);
      }
      return native.op('Sum', sumAttrs, [dy, axes]);
    },
    shape(dims) {
      const key = dims.join(',');
      let t = shapes.get(key);
      if (!t) {
        // Kept: made inside a step's tidy, it must outlive it.
        t = tf.keep(tf.tensor1d(dims as number[], 'int32'));
        shapes.set(key, t);
      }
      return t;
    },
    constant(key, make) {
      let t = constants.get(key);
      if (!t) {
        t = tf.keep(tf.tidy(make));
        constants.set(key, t);
      }
      return t;
    },
    scalar(value) {
      let s = scalars.get(value);
      if (!s) {
        s = tf.keep(tf.scalar(value));
        scalars.set(value, s);
      }
      return s;
    },
    dispose() {
      tf.dispose([
        ...shapes.values(),
        ...scalars.values(),
        ...constants.values(),
        ...biasAxes.values(),
      ]);
      constants.clear();
      biasAxes.clear();
      shapes.clear();
      scalars.clear();
    },
  };
}
