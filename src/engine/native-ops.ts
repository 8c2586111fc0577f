// Direct access to TensorFlow's own kernels through tfjs-node's backend. tfjs runs every layer
// as several small ops (a ReLU gradient alone is eight) and its optimizers add ~10 ops per
// weight; per-op overhead, not the kernels, is what makes `model.fit` 3× slower than Keras.
// Calling TensorFlow's fused training kernels (ReluGrad, BiasAddGrad, MaxPoolGrad,
// SparseSoftmaxCrossEntropyWithLogits, ResourceApplyAdam, …) cuts a LeNet-5 step from ~300
// ops to ~65. These entry points are tfjs-node internals, stable within the pinned 4.22.
import * as tf from '@tensorflow/tfjs-node';

interface Binding {
  TF_FLOAT: number;
  TF_INT32: number;
  TF_ATTR_STRING: number;
  TF_ATTR_INT: number;
  TF_ATTR_FLOAT: number;
  TF_ATTR_BOOL: number;
  TF_ATTR_TYPE: number;
  TF_ATTR_SHAPE: number;
}

export interface OpAttr {
  name: string;
  type: number;
  value: string | number | boolean | number[];
}

/** The part of tfjs-node's NodeJSKernelBackend we call. */
interface NodeBackend {
  binding: Binding;
  executeSingleOutput(name: string, attrs: OpAttr[], inputs: tf.Tensor[]): tf.Tensor;
  executeMultipleOutputs(
    name: string,
    attrs: OpAttr[],
    inputs: tf.Tensor[],
    n: number,
  ): tf.Tensor[];
}

export interface NativeOps {
  /** Runs a TensorFlow op with one output. */
  op(name: string, attrs: OpAttr[], inputs: tf.Tensor[]): tf.Tensor;
  /** Runs a TensorFlow op with `n` outputs (0 for ops that only have effects). */
  ops(name: string, attrs: OpAttr[], inputs: tf.Tensor[], n: number): tf.Tensor[];
  attr: {
    float: OpAttr;
    int(name: string, value: number | number[]): OpAttr;
    str(name: string, value: string): OpAttr;
    bool(name: string, value: boolean): OpAttr;
    type(name: string, dtype: 'float32' | 'int32'): OpAttr;
    shape(name: string, value: number[]): OpAttr;
  };
}

/** The native ops of the current backend, or null where it is not tfjs-node's TensorFlow. */
export function nativeOps(): NativeOps | null {
  if (tf.getBackend() !== 'tensorflow') return null;
  const backend = tf.backend() as unknown as Partial<NodeBackend>;
  const binding = backend.binding;
  if (!binding || typeof backend.executeSingleOutput !== 'function') return null;
  const be = backend as NodeBackend;
  const dtype = (d: 'float32' | 'int32') => (d === 'float32' ? binding.TF_FLOAT : binding.TF_INT32);
  return {
    op: (name, attrs, inputs) => be.executeSingleOutput(name, attrs, inputs),
    ops: (name, attrs, inputs, n) => be.executeMultipleOutputs(name, attrs, inputs, n),
    attr: {
      float: { name: 'T', type: binding.TF_ATTR_TYPE, value: binding.TF_FLOAT },
      int: (name, value) => ({ name, type: binding.TF_ATTR_INT, value }),
      str: (name, value) => ({ name, type: binding.TF_ATTR_STRING, value }),
      bool: (name, value) => ({ name, type: binding.TF_ATTR_BOOL, value }),
      type: (name, d) => ({ name, type: binding.TF_ATTR_TYPE, value: dtype(d) }),
      shape: (name, value) => ({ name, type: binding.TF_ATTR_SHAPE, value }),
    },
  };
}
