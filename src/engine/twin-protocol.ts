// What the engine's main thread and its twin (a worker thread with a copy of the network, see
// twin-thread.ts) say to each other. Arrays travel as typed arrays, moved, never copied to JSON.
import type { MessagePort } from 'node:worker_threads';
import type { TrainingConfig } from '../shared/training-config';

export type TwinRequest =
  /** Builds network `id` from the config and gives it these parameters (flat, plan order). */
  | { kind: 'build'; id: number; config: TrainingConfig; params: Float32Array }
  /** New parameters for network `id` (after the main thread's update). */
  | { kind: 'params'; id: number; params: Float32Array }
  /** The flat gradient of `scale` × Σ losses of rows x [n, …input] with labels y [n]. */
  | { kind: 'gradient'; id: number; x: Float32Array; shape: number[]; y: Int32Array; scale: number }
  /** The network's outputs for rows x. */
  | { kind: 'predict'; id: number; x: Float32Array; shape: number[] }
  | { kind: 'dispose'; id: number };

export type TwinReply =
  | { seq: number; ok: true; kind: 'done' }
  | {
      seq: number;
      ok: true;
      kind: 'gradient';
      grad: Float32Array;
      lossSum: number;
      correct: number;
    }
  | { seq: number; ok: true; kind: 'predict'; y: Float32Array; shape: number[] }
  | { seq: number; ok: false; error: string };

/** What the worker is started with. */
export interface TwinWorkerData {
  /** Requests arrive here, replies go back on it. */
  port: MessagePort;
  /** Int32Array over it: [0] counts replies, so the main thread can wait with Atomics.wait. */
  signal: SharedArrayBuffer;
}
