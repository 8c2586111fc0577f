// The Electron transport for the engine: a `utilityProcess`, Chromium's way to run Node work off
// the main process (training in main would freeze every window). electron-vite's `?modulePath`
// import builds the engine entry as its own chunk and gives us its path at run time.
import path from 'node:path';
import { app, utilityProcess } from 'electron';
import enginePath from '../engine/engine-process?modulePath';
import { EngineHost, type EngineChannel, type EngineHostOptions } from '../host/engine-host';

export function forkUtilityEngine(): EngineChannel {
  const child = utilityProcess.fork(enginePath, [], {
    serviceName: 'LeNet Studio engine',
    stdio: 'inherit',
    env: {
      ...process.env,
      TF_CPP_MIN_LOG_LEVEL: process.env.TF_CPP_MIN_LOG_LEVEL ?? '2',
      // Run history lives in the app's own data folder.
      LENET_STUDIO_RUNS_DIR: path.join(app.getPath('userData'), 'runs'),
    },
  });
  let exited = false;
  let killedByHost = false;
  // A V8 fatal error arrives as 'error' just before 'exit'; keep it to explain the exit.
  let fatal: string | undefined;
  child.on('error', (type, location) => {
    fatal = `${type} at ${location}`;
  });
  child.on('exit', () => {
    exited = true;
  });

  const describeExit = (code: number): string => {
    if (fatal) return `crashed (${fatal}), exit code ${code}`;
    if (killedByHost) return `stopped by the studio (exit code ${code})`;
    return `exited with code ${code}`;
  };

  return {
    // Undefined until the process has spawned; read live, like ChildProcess.pid.
    get pid() {
      return child.pid;
    },
    send: (message) => {
      // Posting to a dead process throws; the host already fails pending requests on exit.
      if (!exited) child.postMessage(message);
    },
    onMessage: (listener) => {
      child.on('message', (message: unknown) => listener(message));
    },
    onExit: (listener) => {
      child.on('exit', (code) => listener(describeExit(code)));
    },
    kill: () => {
      killedByHost = true;
      child.kill();
    },
  };
}

export function createElectronEngineHost(options: EngineHostOptions = {}): EngineHost {
  return new EngineHost(forkUtilityEngine, options);
}
