// The engine's kernel choice (cpu-kernels.ts): pure decisions from a CPU description, and the
// real engine process reporting what it runs, with TensorFlow's own start-up line as proof.
import { availableParallelism } from 'node:os';
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { applyKernelChoice, chooseOnednn, describeCpu } from '../../src/engine/cpu-kernels';
import { EngineHost, type EngineChannel } from '../../src/host/engine-host';
import { defaultEngineEntry } from '../../src/host/engine-host-node';

const zen3 = { arch: 'x64', flags: new Set(['sse4_2', 'avx', 'avx2', 'fma']) };

describe('kernel choice', () => {
  it('turns oneDNN on for x86-64 with AVX2 and FMA', () => {
    const env: NodeJS.ProcessEnv = {};
    expect(applyKernelChoice(env, zen3)).toMatchObject({ onednn: 'on', decidedBy: 'engine' });
    expect(env.TF_ENABLE_ONEDNN_OPTS).toBe('1');
  });

  it("leaves TensorFlow's default where oneDNN is not known to help", () => {
    for (const cpu of [
      { arch: 'x64', flags: new Set(['sse4_2', 'avx']) },
      { arch: 'x64', flags: null },
      { arch: 'arm64', flags: new Set(['asimd']) },
    ]) {
      const env: NodeJS.ProcessEnv = {};
      expect(applyKernelChoice(env, cpu).onednn).toBe('tensorflow-default');
      expect(env.TF_ENABLE_ONEDNN_OPTS).toBeUndefined();
    }
  });

  it("keeps the user's TF_ENABLE_ONEDNN_OPTS, either way", () => {
    const off: NodeJS.ProcessEnv = { TF_ENABLE_ONEDNN_OPTS: '0' };
    expect(applyKernelChoice(off, zen3)).toMatchObject({
      onednn: 'off',
      decidedBy: 'environment',
    });
    expect(off.TF_ENABLE_ONEDNN_OPTS).toBe('0');
    const on: NodeJS.ProcessEnv = { TF_ENABLE_ONEDNN_OPTS: 'true' };
    expect(applyKernelChoice(on, { arch: 'arm64', flags: null }).onednn).toBe('on');
  });

  it('reads this CPU', () => {
    const cpu = describeCpu();
    expect(cpu.arch).toBe(process.arch);
    if (process.platform === 'linux') expect(cpu.flags?.size).toBeGreaterThan(0);
    expect(chooseOnednn(cpu).reason).toMatch(/kernels/);
  });
});

/** A forked engine whose stderr the test reads (TensorFlow's start-up lines go there). */
function engineWithStderr(env: NodeJS.ProcessEnv) {
  let stderr = '';
  const spawn = (): EngineChannel => {
    const child = fork(defaultEngineEntry(), [], {
      execArgv: ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '0', ...env },
    });
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return {
      get pid() {
        return child.pid;
      },
      send: (m) => child.connected && child.send(m as object),
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.on('exit', (code) => listener(`exited with code ${code}`)),
      kill: () => child.kill('SIGKILL'),
    };
  };
  return { host: new EngineHost(spawn, { restart: false }), stderr: () => stderr };
}

let host: EngineHost | undefined;
afterEach(() => host?.dispose());

describe('engine process kernels', () => {
  it('reports the kernels it chose before TensorFlow loaded, and TensorFlow runs them', async () => {
    const engine = engineWithStderr({ TF_ENABLE_ONEDNN_OPTS: '' });
    host = engine.host;
    const info = await host.request({ type: 'info' });
    const expected = chooseOnednn(describeCpu());
    expect(info.kernels).toMatchObject({
      onednn: expected.value === '1' ? 'on' : 'tensorflow-default',
      decidedBy: 'engine',
      reason: expected.reason,
    });
    // And the thread plan, made at the same moment (thread-plan.test.ts covers its cases).
    expect(info.kernels.threads?.twin).toBe(availableParallelism() >= 2);
    if (info.kernels.onednn === 'on') {
      expect(engine.stderr()).toContain('oneDNN custom operations are on');
    }
  });

  it("keeps the user's TF_ENABLE_ONEDNN_OPTS=0 and says so", async () => {
    const engine = engineWithStderr({ TF_ENABLE_ONEDNN_OPTS: '0' });
    host = engine.host;
    const info = await host.request({ type: 'info' });
    expect(info.kernels).toMatchObject({ onednn: 'off', decidedBy: 'environment' });
    expect(engine.stderr()).not.toContain('oneDNN custom operations are on');
  });
});
