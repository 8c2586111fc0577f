// Entry of the engine process. Under Electron it is a utilityProcess (messages through
// process.parentPort); under Node a child_process.fork child (process.send / 'message').
// TensorFlow reads its kernel choice (TF_ENABLE_ONEDNN_OPTS) once, when it loads, so the
// engine — and with it @tensorflow/tfjs-node — is imported only after cpu-kernels decided, as is
// its thread pool size (thread-plan).
import type { EngineMessage } from '../shared/engine-protocol';
import { applyKernelChoice } from './cpu-kernels';
import { applyThreadPlan } from './thread-plan';
import { twinEntry } from './twin-thread';

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

async function main(): Promise<void> {
  const kernels = {
    ...applyKernelChoice(process.env),
    threads: applyThreadPlan(process.env, twinEntry() !== null),
  };
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  let send: (m: EngineMessage) => void;
  let onMessage: (listener: (raw: unknown) => void) => void;
  if (parentPort) {
    send = (m) => parentPort.postMessage(m);
    onMessage = (listener) => parentPort.on('message', (e) => listener(e.data));
  } else if (process.send) {
    send = (m) => process.send?.(m);
    onMessage = (listener) => process.on('message', listener);
    // The host went away: nothing left to serve.
    process.on('disconnect', () => process.exit(0));
  } else {
    console.error('engine-process must be started by a host (fork or utilityProcess)');
    process.exit(2);
  }
  const { Engine } = await import('./engine');
  // The host chooses where runs are recorded (Electron: userData; CLI/server: --runs-dir).
  const engine = new Engine(send, process.env.LENET_STUDIO_RUNS_DIR || undefined, kernels);
  // Requests are handled concurrently: pause/stop must get through while `train` is running.
  onMessage((raw) => void engine.handle(raw));
  send({ type: 'ready', pid: process.pid });
}

main().catch((err: Error) => {
  console.error(`engine failed to start: ${err.stack ?? err.message}`);
  process.exit(1);
});
