#!/usr/bin/env node
// Provisions the native TensorFlow engine behind @tensorflow/tfjs-node, offline if need be.
//
// tfjs-node's own install script downloads libtensorflow and a prebuilt addon from Google
// storage, which fails behind firewalls and offline. We install with ignore-scripts=true and
// make `require('@tensorflow/tfjs-node')` work here instead, trying in order:
//   1. already loadable                         (nothing to do)
//   2. the per-user cache of an earlier build   (hard-links, seconds)
//   3. tfjs-node's upstream installer           (needs the network)
//   4. libtensorflow from the TensorFlow CPU Python wheel, with the addon compiled from source.
//      The wheel comes from $LENET_TF_WHEEL (a .whl, a folder holding one, or an unpacked
//      wheel) or from `pip download tensorflow-cpu`, which honours pip's own configuration
//      (so a PyPI mirror works).
// The cache sits before the upstream installer because it holds exactly what steps 3/4
// produced on an earlier run: using it first turns a fresh clone into a seconds-long setup.
//
// Usage: node scripts/setup-native-engine.mjs [--quiet] [--force]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = new Set(process.argv.slice(2));
const quiet = args.has('--quiet');
const force = args.has('--force');

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(projectRoot, 'package.json'));

/** Progress lines go to stderr so that `--json` consumers of the CLI keep a clean stdout. */
function say(message) {
  if (!quiet) process.stderr.write(`[native-engine] ${message}\n`);
}
function warn(message) {
  process.stderr.write(`[native-engine] ${message}\n`);
}

function tfjsNodeDir() {
  try {
    return path.dirname(require.resolve('@tensorflow/tfjs-node/package.json'));
  } catch {
    fail('@tensorflow/tfjs-node is not installed. Run `npm install` first.');
  }
}

function fail(message) {
  warn(`FAILED: ${message}`);
  process.exit(1);
}

/** Loads tfjs-node in a child process: a broken native library may abort the process. */
function probeLoad(tfjsDir) {
  const code = `
    const tf = require(${JSON.stringify(tfjsDir)});
    const sum = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0]);
    if (sum !== 3) throw new Error('1 + 2 gave ' + sum);
    process.stdout.write(JSON.stringify({ tfjs: tf.version['tfjs-node'], tensorflow: tf.backend().binding.TF_Version }));
  `;
  const result = spawnSync(process.execPath, ['-e', code], {
    encoding: 'utf8',
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
    timeout: 120_000,
  });
  if (result.status === 0) {
    try {
      return { ok: true, info: JSON.parse(result.stdout.trim().split('\n').pop()) };
    } catch {
      return { ok: true, info: {} };
    }
  }
  const detail = (result.stderr || result.error?.message || '').trim().split('\n');
  // The thrown error's own line, not the source line Node prints above it.
  const reason = detail.find((l) => /^\s*\w*Error: /.test(l))?.trim() ?? detail[0];
  return { ok: false, reason: reason || `exit code ${result.status}` };
}

/** Where node-pre-gyp (and so tfjs-node at run time) looks for the compiled addon. */
function bindingPath(tfjsDir) {
  const tfRequire = createRequire(path.join(tfjsDir, 'package.json'));
  const preGyp = tfRequire('@mapbox/node-pre-gyp');
  return preGyp.find(path.join(tfjsDir, 'package.json'));
}

function cacheRoot() {
  if (process.env.LENET_STUDIO_CACHE) return process.env.LENET_STUDIO_CACHE;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'lenet-studio');
}

function tfjsVersion(tfjsDir) {
  return JSON.parse(fs.readFileSync(path.join(tfjsDir, 'package.json'), 'utf8')).version;
}

/** One cache entry per tfjs-node version, platform and N-API level of the addon. */
function cacheKey(tfjsDir, binding) {
  const napi = path.basename(path.dirname(binding)); // e.g. napi-v8
  return `tfjs-node-${tfjsVersion(tfjsDir)}-${napi}-${process.platform}-${process.arch}`;
}

const LIBS = ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2'];
// tfjs-node's install.js treats this file as "libtensorflow present"; keep it so that its
// scripts (and a later `npm rebuild`) do not try to download over what we installed.
const UPSTREAM_MARKER = 'libtensorflow.so.2.9.1';

function linkOrCopy(from, to) {
  fs.rmSync(to, { force: true });
  try {
    fs.linkSync(from, to);
  } catch {
    fs.copyFileSync(from, to);
  }
}

function symlink(target, at) {
  fs.rmSync(at, { force: true });
  fs.symlinkSync(target, at);
}

/** Puts the cached libraries and addon where tfjs-node and its rpath expect them. */
/**
 * Links the two real libraries into tfjs-node's deps/lib, with the names the link step
 * (-ltensorflow) and tfjs-node's install.js look for pointing at them.
 */
function installLibraries(fromLibDir, tfjsDir) {
  const libDir = path.join(tfjsDir, 'deps', 'lib');
  fs.mkdirSync(libDir, { recursive: true });
  for (const lib of LIBS) linkOrCopy(path.join(fromLibDir, lib), path.join(libDir, lib));
  symlink('libtensorflow_cc.so.2', path.join(libDir, 'libtensorflow.so'));
  symlink('libtensorflow_framework.so.2', path.join(libDir, 'libtensorflow_framework.so'));
  symlink('libtensorflow_cc.so.2', path.join(libDir, UPSTREAM_MARKER));
}

function installFromCache(entry, tfjsDir, binding) {
  installLibraries(path.join(entry, 'lib'), tfjsDir);
  fs.mkdirSync(path.dirname(binding), { recursive: true });
  linkOrCopy(path.join(entry, 'tfjs_binding.node'), binding);
}

function cacheEntryComplete(entry) {
  return (
    fs.existsSync(path.join(entry, 'tfjs_binding.node')) &&
    LIBS.every((lib) => fs.existsSync(path.join(entry, 'lib', lib)))
  );
}

function runUpstreamInstaller(tfjsDir) {
  say("trying tfjs-node's upstream installer (downloads libtensorflow; needs the network)");
  const result = spawnSync(process.execPath, ['scripts/install.js'], {
    cwd: tfjsDir,
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (result.status === 0) return true;
  const lines = `${result.stderr}\n${result.stdout}`.trim().split('\n');
  const reason =
    lines.find((l) => /ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|getaddrinfo|Error:/.test(l)) ??
    lines.pop();
  say(`upstream installer failed: ${reason?.trim() ?? 'unknown error'}`);
  return false;
}

function python() {
  for (const candidate of [process.env.PYTHON, 'python3', 'python']) {
    if (!candidate) continue;
    const r = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
    if (r.status === 0) return candidate;
  }
  return undefined;
}

/** Returns an unpacked wheel folder or a .whl path, or undefined with the reasons collected. */
function locateWheel(downloadDir, reasons) {
  const given = process.env.LENET_TF_WHEEL;
  if (given) {
    if (!fs.existsSync(given)) {
      reasons.push(`LENET_TF_WHEEL=${given} does not exist`);
      return undefined;
    }
    if (fs.statSync(given).isFile()) return given;
    if (fs.existsSync(path.join(given, 'tensorflow', LIBS[0]))) return given;
    const whl = fs.readdirSync(given).find((f) => /^tensorflow(_cpu)?-.*\.whl$/.test(f));
    if (whl) return path.join(given, whl);
    reasons.push(`LENET_TF_WHEEL=${given} holds neither a tensorflow wheel nor an unpacked one`);
    return undefined;
  }
  const py = python();
  if (!py) {
    reasons.push('no python3 to run `pip download tensorflow-cpu`');
    return undefined;
  }
  fs.mkdirSync(downloadDir, { recursive: true });
  say('fetching the TensorFlow CPU wheel with `pip download tensorflow-cpu` (pip config applies)');
  const r = spawnSync(
    py,
    [
      '-m',
      'pip',
      'download',
      'tensorflow-cpu',
      '--no-deps',
      '--only-binary=:all:',
      '-d',
      downloadDir,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 1_800_000 },
  );
  const whl = fs.existsSync(downloadDir)
    ? fs.readdirSync(downloadDir).find((f) => /^tensorflow(_cpu)?-.*\.whl$/.test(f))
    : undefined;
  if (r.status === 0 && whl) return path.join(downloadDir, whl);
  const why = `${r.stderr ?? ''}`.trim().split('\n').pop() || `exit code ${r.status}`;
  reasons.push(`pip download tensorflow-cpu failed: ${why}`);
  return undefined;
}

// Only the C API headers the binding includes, and the two real shared libraries.
const EXTRACT_PY = `
import sys, zipfile, os, shutil
src, out = sys.argv[1], sys.argv[2]
prefixes = ('tensorflow/include/tensorflow/c/', 'tensorflow/include/xla/tsl/c/')
headers = ('tensorflow/include/tensorflow/core/platform/ctstring', 'tensorflow/include/tsl/platform/ctstring')
libs = ('tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2')
def wanted(n):
    return n.startswith(prefixes) or n.startswith(headers) or n in libs
def dest(n):
    if n in libs:
        return os.path.join(out, 'lib', os.path.basename(n))
    return os.path.join(out, 'include', n[len('tensorflow/include/'):])
version = '?'
if os.path.isdir(src):
    for root, _, files in os.walk(os.path.join(src, 'tensorflow')):
        for f in files:
            full = os.path.join(root, f)
            n = os.path.relpath(full, src).replace(os.sep, '/')
            if wanted(n):
                os.makedirs(os.path.dirname(dest(n)), exist_ok=True)
                shutil.copyfile(full, dest(n))
else:
    base = os.path.basename(src)
    version = base.split('-')[1] if '-' in base else '?'
    with zipfile.ZipFile(src) as z:
        for info in z.infolist():
            if wanted(info.filename) and not info.is_dir():
                d = dest(info.filename)
                os.makedirs(os.path.dirname(d), exist_ok=True)
                with z.open(info) as r, open(d, 'wb') as w:
                    shutil.copyfileobj(r, w, 1 << 20)
print(version)
`;

function nodeDir() {
  // node-gyp would otherwise download Node's headers; the machine's own are enough.
  const candidates = [
    process.env.npm_config_nodedir,
    path.resolve(path.dirname(process.execPath), '..'),
  ].filter(Boolean);
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'include', 'node', 'node_api.h')));
}

function buildAddon(tfjsDir, binding, staging) {
  const gyp = (() => {
    try {
      return require.resolve('node-gyp/bin/node-gyp.js');
    } catch {
      return undefined;
    }
  })();
  if (!gyp) return 'node-gyp is not installed (it is a devDependency: run `npm install`)';
  const napi = path.basename(path.dirname(binding)).replace('napi-v', '');
  const dir = nodeDir();
  const gypArgs = [
    gyp,
    'rebuild',
    `--napi_build_version=${napi}`,
    '--module_name=tfjs_binding',
    `--module_path=${path.dirname(binding)}`,
    ...(dir ? [`--nodedir=${dir}`] : []),
  ];
  say(`compiling the tfjs-node addon from source (node-gyp, N-API ${napi})`);
  const r = spawnSync(process.execPath, gypArgs, {
    cwd: tfjsDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 900_000,
  });
  if (r.status !== 0 || !fs.existsSync(binding)) {
    const tail = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-15).join('\n');
    return `node-gyp failed (needs python3, make and a C++ compiler):\n${tail}`;
  }
  fs.copyFileSync(binding, path.join(staging, 'tfjs_binding.node'));
  return undefined;
}

function provisionFromWheel(tfjsDir, binding, entry, reasons) {
  const root = cacheRoot();
  const wheel = locateWheel(path.join(root, 'wheels'), reasons);
  if (!wheel) return false;
  const py = python();
  if (!py) {
    reasons.push('no python3 to unpack the wheel');
    return false;
  }
  const staging = `${entry}.partial-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  say(`extracting libtensorflow and the C API headers from ${wheel}`);
  const x = spawnSync(py, ['-c', EXTRACT_PY, wheel, staging], { encoding: 'utf8' });
  if (x.status !== 0 || !LIBS.every((l) => fs.existsSync(path.join(staging, 'lib', l)))) {
    reasons.push(
      `could not extract libtensorflow from ${wheel}: ${x.stderr.trim().split('\n').pop()}`,
    );
    fs.rmSync(staging, { recursive: true, force: true });
    return false;
  }
  fs.writeFileSync(
    path.join(staging, 'source.json'),
    JSON.stringify({ wheel: path.basename(wheel), tensorflow: x.stdout.trim() }, null, 2),
  );

  // Stage headers and libraries into tfjs-node's deps/ for the compile and link steps.
  const deps = path.join(tfjsDir, 'deps');
  fs.rmSync(path.join(deps, 'include'), { recursive: true, force: true });
  fs.mkdirSync(deps, { recursive: true });
  fs.cpSync(path.join(staging, 'include'), path.join(deps, 'include'), { recursive: true });
  installLibraries(path.join(staging, 'lib'), tfjsDir);

  const buildError = buildAddon(tfjsDir, binding, staging);
  if (buildError) {
    reasons.push(buildError);
    fs.rmSync(staging, { recursive: true, force: true });
    return false;
  }
  fs.rmSync(path.join(staging, 'include'), { recursive: true, force: true });
  // Publish the cache entry atomically: a half-written entry must never look complete.
  fs.rmSync(entry, { recursive: true, force: true });
  fs.renameSync(staging, entry);
  if (!process.env.LENET_TF_WHEEL && wheel.startsWith(path.join(root, 'wheels'))) {
    fs.rmSync(wheel, { force: true }); // the extracted libraries are what we keep
  }
  return true;
}

function main() {
  const tfjsDir = tfjsNodeDir();
  const started = Date.now();
  const done = (how) => {
    const probe = probeLoad(tfjsDir);
    if (!probe.ok) return probe;
    const { tfjs, tensorflow } = probe.info;
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    say(`ready (${how}): tfjs-node ${tfjs}, TensorFlow ${tensorflow} [${secs} s]`);
    return probe;
  };

  if (!force) {
    const probe = probeLoad(tfjsDir);
    if (probe.ok) {
      say(`already loadable: tfjs-node ${probe.info.tfjs}, TensorFlow ${probe.info.tensorflow}`);
      return;
    }
    say(`not loadable yet (${probe.reason})`);
  }

  const binding = bindingPath(tfjsDir);
  const entry = path.join(cacheRoot(), cacheKey(tfjsDir, binding));
  const reasons = [];

  if (cacheEntryComplete(entry)) {
    say(`installing from the cache ${entry}`);
    installFromCache(entry, tfjsDir, binding);
    const probe = done('from cache');
    if (probe.ok) return;
    reasons.push(`the cached engine in ${entry} does not load: ${probe.reason}`);
    fs.rmSync(entry, { recursive: true, force: true });
  }

  if (process.env.LENET_SKIP_UPSTREAM !== '1' && !process.env.LENET_TF_WHEEL) {
    if (runUpstreamInstaller(tfjsDir)) {
      const probe = done('upstream installer');
      if (probe.ok) return;
      reasons.push(`upstream installer finished but the engine does not load: ${probe.reason}`);
    } else {
      reasons.push("tfjs-node's upstream installer could not download libtensorflow");
    }
  }

  if (provisionFromWheel(tfjsDir, binding, entry, reasons)) {
    installFromCache(entry, tfjsDir, binding);
    const probe = done('built from the TensorFlow wheel');
    if (probe.ok) return;
    reasons.push(`built from the wheel but the engine does not load: ${probe.reason}`);
  }

  fail(
    [
      'the native TensorFlow engine could not be provisioned.',
      ...reasons.map((r) => `  - ${r}`),
      'Supply one of:',
      '  - network access to storage.googleapis.com (tfjs-node downloads libtensorflow), or',
      '  - a pip index that serves tensorflow-cpu (pip config / PIP_INDEX_URL), or',
      '  - LENET_TF_WHEEL=/path/to/tensorflow_cpu-*.whl (or a folder holding it, or an unpacked wheel),',
      'plus python3, make and a C++ compiler for node-gyp. Then run `npm run setup` again.',
    ].join('\n'),
  );
}

main();
