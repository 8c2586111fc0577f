// TensorBoard's event-file writer, opened so that it can be closed. tfjs-node's
// `tf.node.summaryFileWriter` never frees the four scalar arguments it passes to
// CreateSummaryFileWriter and caches the writer's resource handle per log folder for the life
// of the process: every recorded run left five tensors behind in the engine. Here the
// arguments are freed at once (tf.tidy), and `close` runs TensorFlow's CloseSummaryWriter (which
// flushes and drops the resource, so a resumed run can open the same folder again) and frees the
// handle. The entry points are tfjs-node's backend methods, stable within the pinned 4.22.
import * as tf from '@tensorflow/tfjs-node';

/** The part of tfjs-node's NodeJSKernelBackend that writes summaries. */
interface SummaryBackend {
  summaryWriter(logdir: string): tf.Tensor;
  createSummaryFileWriter(
    handle: tf.Tensor,
    logdir: string,
    maxQueue: number,
    flushMillis: number,
    filenameSuffix: string,
  ): void;
  writeScalarSummary(handle: tf.Tensor, step: number, name: string, value: number): void;
  writeHistogramSummary(handle: tf.Tensor, step: number, name: string, data: tf.Tensor): void;
  flushSummaryWriter(handle: tf.Tensor): void;
  executeMultipleOutputs(name: string, attrs: [], inputs: tf.Tensor[], n: number): tf.Tensor[];
}

export interface SummaryWriter {
  scalar(name: string, value: number, step: number): void;
  /** A histogram of the tensor's values (TensorBoard's 30 buckets). */
  histogram(name: string, data: tf.Tensor, step: number): void;
  flush(): void;
  /** Flushes, closes the file and frees the writer; later calls do nothing. */
  close(): void;
}

export function openSummaryWriter(
  logdir: string,
  maxQueue = 100,
  flushMillis = 10_000,
): SummaryWriter {
  if (tf.getBackend() !== 'tensorflow') throw new Error('TensorBoard logs need the native engine');
  const backend = tf.backend() as unknown as SummaryBackend;
  const handle = backend.summaryWriter(logdir);
  try {
    // Frees the scalar arguments the backend makes and leaves; the handle was made outside.
    tf.tidy(() => backend.createSummaryFileWriter(handle, logdir, maxQueue, flushMillis, '.v2'));
  } catch (error) {
    handle.dispose();
    throw error;
  }
  let open = true;
  return {
    scalar(name, value, step) {
      if (open) backend.writeScalarSummary(handle, step, name, value);
    },
    histogram(name, data, step) {
      if (open) backend.writeHistogramSummary(handle, step, name, data);
    },
    flush() {
      if (open) backend.flushSummaryWriter(handle);
    },
    close() {
      if (!open) return;
      open = false;
      try {
        backend.executeMultipleOutputs('CloseSummaryWriter', [], [handle], 0);
      } finally {
        handle.dispose();
      }
    },
  };
}
