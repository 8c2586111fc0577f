// Entry of the twin: a worker thread of the engine process with its own TensorFlow context and
// a copy of the network being trained or run. It answers one request at a time (see
// twin-protocol.ts); every reply, error or not, bumps the shared counter the main thread waits on.
import type { MessagePort } from 'node:worker_threads';
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-node';
import { createModel } from './models';
import { createNativeNetwork, type NativeNetwork } from './native-network';
import type { TwinReply, TwinRequest, TwinWorkerData } from './twin-protocol';

interface Built {
  net: NativeNetwork;
  model: tf.LayersModel;
}

function serve(port: MessagePort, signal: Int32Array): void {
  const networks = new Map<number, Built>();
  let seq = 0;
  const reply = (message: TwinReply, transfer: ArrayBuffer[] = []) => {
    port.postMessage(message, transfer);
    Atomics.add(signal, 0, 1);
    Atomics.notify(signal, 0);
  };
  const networkOf = (id: number): NativeNetwork => {
    const built = networks.get(id);
    if (!built) throw new Error(`the twin has no network ${id}`);
    return built.net;
  };

  function handle(request: TwinRequest, s: number): TwinReply {
    switch (request.kind) {
      case 'build': {
        const model = createModel(request.config);
        const net = createNativeNetwork(model, request.config);
        if (!net) {
          model.dispose();
          throw new Error(`${request.config.model} has no native network in the twin`);
        }
        net.writeParams(request.params);
        networks.set(request.id, { net, model });
        return { seq: s, ok: true, kind: 'done' };
      }
      case 'params':
        networkOf(request.id).writeParams(request.params);
        return { seq: s, ok: true, kind: 'done' };
      case 'gradient': {
        const net = networkOf(request.id);
        const r = tf.tidy(() =>
          net.gradient(
            tf.tensor(request.x, request.shape, 'float32'),
            tf.tensor1d(request.y, 'int32'),
            request.scale,
          ),
        );
        // Read outside the tidy: tf.tidy walks what it returns, index by index for a typed
        // array (5 ms for the 61,706 of a gradient, measured).
        const grad = r.grad.dataSync() as Float32Array;
        const lossSum = r.lossSum.dataSync()[0] as number;
        const correct = r.correct.dataSync()[0] as number;
        tf.dispose([r.grad, r.lossSum, r.correct]);
        return { seq: s, ok: true, kind: 'gradient', grad, lossSum, correct };
      }
      case 'predict': {
        const net = networkOf(request.id);
        const out = tf.tidy(() => net.predict(tf.tensor(request.x, request.shape, 'float32')));
        const y = out.dataSync() as Float32Array;
        const shape = out.shape.slice();
        out.dispose();
        return { seq: s, ok: true, kind: 'predict', y, shape };
      }
      case 'dispose': {
        const built = networks.get(request.id);
        networks.delete(request.id);
        built?.net.dispose();
        built?.model.dispose();
        return { seq: s, ok: true, kind: 'done' };
      }
    }
  }

  port.on('message', (request: TwinRequest) => {
    const s = seq++;
    let message: TwinReply;
    try {
      message = handle(request, s);
    } catch (err) {
      message = { seq: s, ok: false, error: (err as Error).message };
    }
    // The arrays made here (outputs of TensorFlow, never its own buffers) move, uncopied.
    const transfer =
      message.ok && message.kind === 'gradient'
        ? [message.grad.buffer as ArrayBuffer]
        : message.ok && message.kind === 'predict'
          ? [message.y.buffer as ArrayBuffer]
          : [];
    reply(message, transfer);
  });
}

const data = workerData as TwinWorkerData;
serve(data.port, new Int32Array(data.signal));
// TensorFlow has loaded (the import above): the twin is ready.
parentPort?.postMessage('ready');
