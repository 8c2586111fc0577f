// What a layer, loss or optimizer module needs to run TensorFlow ops on the native path: the
// ops themselves, the attribute lists they share, and int32 shape constants made on first use
// and kept until the network is disposed (no per-step allocation of constants).
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
  /** Frees every constant made through this kit. */
  dispose(): void;
}

export function createNativeKit(native: NativeOps): NativeKit {
  const { attr } = native;
  const T = attr.float;
  const NHWC = attr.str('data_format', 'NHWC');
  const convAttrs = new Map<string, OpAttr[]>();
  const poolAttrs = new Map<string, OpAttr[]>();
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
      pool(size, stride) {
        const key = `${size}/${stride}`;
        let a = poolAttrs.get(key);
        if (!a) {
          a = [
            T,
            attr.int('ksize', [1, size, size, 1]),
            attr.int('strides', [1, stride, stride, 1]),
            attr.str('padding', 'VALID'),
            NHWC,
          ];
          poolAttrs.set(key, a);
        }
        return a;
      },
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
      tf.dispose([...shapes.values(), ...scalars.values(), ...constants.values()]);
      constants.clear();
      shapes.clear();
      scalars.clear();
    },
  };
}
