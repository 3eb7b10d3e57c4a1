#!/usr/bin/env node
// Builds the native addons of nas: the TensorFlow backend of @tensorflow/tfjs-node, the only compute
// backend (below), and sqlite3, the storage (scripts/setup-sqlite.mjs). Each is checked, and built
// only when it does not load; a failure of one does not stop the other.
//
// tfjs-node's own install script downloads libtensorflow 2.9.1 from Google storage; machines that
// cannot reach that host fail there, so the project's .npmrc turns dependency install scripts off
// and this script does the job instead, by one of two routes:
//   stock  the package's own script (download + build), when its download host answers;
//   wheel  TensorFlow's C library from the `tensorflow-cpu` pip wheel (it exports the whole C and
//          eager C API the binding uses): pip download, extract the two libraries and the headers
//          once into a cache, link them where binding.gyp looks, build the addon with node-gyp.
// Idempotent: when both addons are built and load, it only checks and exits (about a second).
// It writes nothing to stdout, nor do the programs it runs: it runs before `nas … --json` (bin/nas.js),
// whose stdout is data, so every message goes to stderr.
//
// Usage: node scripts/setup-native.mjs [--force] [--route auto|stock|wheel]   (--force rebuilds both)
// Environment: NAS_TF_ROUTE (same as --route), NAS_CACHE_DIR (default $XDG_CACHE_HOME/nas or
// ~/.cache/nas), NAS_TF_WHEEL (a tensorflow-cpu wheel file to use instead of pip download),
// NAS_TF_WHEEL_VERSION (default 2.21.0).

import { execFileSync, spawnSync } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { ensureSqlite } from './setup-sqlite.mjs';

const WHEEL_VERSION = process.env.NAS_TF_WHEEL_VERSION ?? '2.21.0';
const STOCK_HOST = 'storage.googleapis.com';
const LIBS = ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2'];

class SetupError extends Error {
  constructor(message, fix) {
    super(message);
    this.fix = fix;
  }
}

const log = (line) => process.stderr.write(`[setup-native] ${line}\n`);
/** A child's stdout given this file descriptor writes to our stderr. */
const STDERR = 2;

function parseArgs(argv) {
  const args = { force: false, route: process.env.NAS_TF_ROUTE ?? 'auto' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--force') args.force = true;
    else if (argv[i] === '--route') args.route = argv[++i];
    else
      throw new SetupError(
        `unknown argument ${argv[i]}`,
        'usage: setup-native.mjs [--force] [--route auto|stock|wheel]',
      );
  }
  if (!['auto', 'stock', 'wheel'].includes(args.route)) {
    throw new SetupError(`--route must be auto, stock or wheel, got ${args.route}`, 'pick one of the three');
  }
  return args;
}

function tfjsNodeDir() {
  const require = createRequire(path.join(process.cwd(), 'package.json'));
  try {
    return path.dirname(require.resolve('@tensorflow/tfjs-node/package.json'));
  } catch {
    throw new SetupError(
      '@tensorflow/tfjs-node is not installed in node_modules',
      'run `npm install` (or `npm ci`) in the project folder first',
    );
  }
}

/** Loads tfjs-node in a fresh process; returns the TensorFlow version, or undefined with the reason. */
function probeBackend(pkgDir) {
  const code = `const tf = require(${JSON.stringify(pkgDir)});
    if (tf.getBackend() !== 'tensorflow') throw new Error('backend is ' + tf.getBackend());
    process.stdout.write(String(tf.version.tfjs) + ' / TensorFlow ' + tf.backend().binding.TF_Version);`;
  const result = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
  if (result.status === 0) return { ok: true, version: result.stdout.trim() };
  const reason = (result.stderr || '').split('\n').find((l) => /^\w*Error:/.test(l)) ?? `exit ${result.status}`;
  return { ok: false, reason: reason.trim() };
}

async function hostAnswers(host) {
  try {
    await Promise.race([
      lookup(host),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 3000)),
    ]);
    return true;
  } catch {
    return false;
  }
}

/** Runs a command; its output is shown (on stderr) only when it fails, or always with `verbose`. */
function run(command, args, { verbose = false, ...options } = {}) {
  const stdio = verbose ? ['ignore', STDERR, STDERR] : ['ignore', 'pipe', 'pipe'];
  const result = spawnSync(command, args, { stdio, encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  if (result.error) throw result.error;
  if (result.status !== 0 && !verbose) process.stderr.write(`${result.stdout}${result.stderr}`);
  return result.status === 0;
}

function stockRoute(pkgDir) {
  log(`stock route: tfjs-node's own installer (downloads libtensorflow from ${STOCK_HOST})`);
  return run(process.execPath, ['scripts/install.js'], { cwd: pkgDir, verbose: true });
}

function cacheRoot() {
  if (process.env.NAS_CACHE_DIR) return process.env.NAS_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'nas');
}

function findPython() {
  for (const candidate of ['python3', 'python']) {
    const result = spawnSync(candidate, ['-m', 'pip', '--version'], { encoding: 'utf8' });
    if (result.status === 0) return candidate;
  }
  throw new SetupError(
    'the wheel route needs Python with pip (python3 -m pip), and none was found',
    'install python3 and pip (Debian: apt-get install python3-pip), or set NAS_TF_WHEEL to a downloaded tensorflow-cpu wheel, or use a machine that reaches storage.googleapis.com',
  );
}

function downloadWheel(python, dir) {
  if (process.env.NAS_TF_WHEEL) return process.env.NAS_TF_WHEEL;
  log(`pip download --no-deps tensorflow-cpu==${WHEEL_VERSION} (about 270 MB, once)`);
  const ok = run(python, [
    '-m',
    'pip',
    'download',
    '--no-deps',
    '--only-binary=:all:',
    '--quiet',
    `tensorflow-cpu==${WHEEL_VERSION}`,
    '-d',
    dir,
  ]);
  const wheel = ok ? fs.readdirSync(dir).find((f) => f.endsWith('.whl')) : undefined;
  if (!wheel) {
    throw new SetupError(
      `pip could not download tensorflow-cpu==${WHEEL_VERSION}`,
      'check that pip reaches a package index with that wheel (pip config list), or download it elsewhere and set NAS_TF_WHEEL=/path/to/tensorflow_cpu-….whl',
    );
  }
  return path.join(dir, wheel);
}

// The binding includes a handful of TensorFlow's C headers; extract those and what they include
// (the wheel ships 270 MB of headers, the binding needs well under 1 MB of them).
const EXTRACT_PY = `
import os, re, sys, zipfile
wheel, out, libs = sys.argv[1], sys.argv[2], sys.argv[3:]
roots = ['tensorflow/c/c_api.h', 'tensorflow/c/eager/c_api.h', 'tensorflow/core/platform/ctstring_internal.h']
with zipfile.ZipFile(wheel) as z:
    names = set(z.namelist())
    for lib in libs:
        z.extract('tensorflow/' + lib, out)
    seen, todo = set(), list(roots)
    while todo:
        header = todo.pop()
        member = 'tensorflow/include/' + header
        if header in seen or member not in names:
            continue
        seen.add(header)
        z.extract(member, out)
        text = z.read(member).decode('utf-8', 'replace')
        todo.extend(re.findall(r'^\\s*#\\s*include\\s+"([^"]+)"', text, re.M))
    print(len(seen))
`;

/** Extracts the C libraries and headers of the wheel into the cache once; returns their folder. */
function cachedLibtensorflow() {
  const dir = path.join(cacheRoot(), `libtensorflow-${WHEEL_VERSION}-${process.platform}-${process.arch}`);
  if (fs.existsSync(path.join(dir, '.complete'))) {
    log(`using cached TensorFlow ${WHEEL_VERSION} C library in ${dir}`);
    return dir;
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new SetupError(
      `the wheel route is written for linux x64, this is ${process.platform} ${process.arch}`,
      'use the stock route (--route stock) on a machine that reaches storage.googleapis.com',
    );
  }
  const python = findPython();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nas-tf-'));
  try {
    const wheel = downloadWheel(python, work);
    log(`extracting ${LIBS.join(', ')} and the C headers from ${path.basename(wheel)}`);
    const staged = path.join(work, 'out');
    const headers = execFileSync(python, ['-c', EXTRACT_PY, wheel, staged, ...LIBS], {
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
    }).trim();
    for (const lib of LIBS) {
      if (!fs.existsSync(path.join(staged, 'tensorflow', lib))) {
        throw new SetupError(
          `${path.basename(wheel)} has no tensorflow/${lib}`,
          `use tensorflow-cpu ${WHEEL_VERSION} (NAS_TF_WHEEL_VERSION), whose wheel ships it`,
        );
      }
    }
    log(`extracted ${LIBS.join(', ')} and ${headers} C headers`);
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(path.join(staged, 'tensorflow'), dir);
    fs.writeFileSync(path.join(dir, '.complete'), `${path.basename(wheel)}\n`);
    return dir;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function link(target, at) {
  fs.rmSync(at, { recursive: true, force: true });
  fs.symlinkSync(target, at);
}

/** Links the cached library where binding.gyp looks (deps/include, deps/lib) and the addon's RUNPATH finds it. */
function stage(pkgDir, libDir) {
  const deps = path.join(pkgDir, 'deps');
  fs.mkdirSync(path.join(deps, 'lib'), { recursive: true });
  link(path.join(libDir, 'include'), path.join(deps, 'include'));
  for (const lib of LIBS) link(path.join(libDir, lib), path.join(deps, 'lib', lib));
  link(path.join(libDir, 'libtensorflow_cc.so.2'), path.join(deps, 'lib', 'libtensorflow.so'));
  link(path.join(libDir, 'libtensorflow_framework.so.2'), path.join(deps, 'lib', 'libtensorflow_framework.so'));
}

function nodeGypEnv() {
  const env = { ...process.env };
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  if (!env.npm_config_nodedir && fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))) {
    env.npm_config_nodedir = prefix;
  }
  if (!env.npm_config_node_gyp) {
    const bundled = path.join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    if (fs.existsSync(bundled)) env.npm_config_node_gyp = bundled;
  }
  return env;
}

function buildAddon(pkgDir) {
  log('building the addon against it (node-gyp, about 15 s)');
  const preGyp = path.join(pkgDir, '..', '..', '.bin', 'node-pre-gyp');
  const ok = run(preGyp, ['install', '--build-from-source'], { cwd: pkgDir, env: nodeGypEnv() });
  if (!ok) {
    throw new SetupError(
      'the addon build failed (output above)',
      'node-gyp needs make, a C++ compiler and Node headers: apt-get install build-essential python3; offline, Node headers must be installed beside node (include/node) or set npm_config_nodedir',
    );
  }
}

function wheelRoute(pkgDir) {
  log(`wheel route: TensorFlow ${WHEEL_VERSION} C library from the tensorflow-cpu wheel`);
  stage(pkgDir, cachedLibtensorflow());
  buildAddon(pkgDir);
}

async function ensureTensorFlow(args) {
  const pkgDir = tfjsNodeDir();
  if (!args.force) {
    const probe = probeBackend(pkgDir);
    if (probe.ok) {
      log(`native backend ready: tfjs ${probe.version}`);
      return;
    }
    log(`native backend not usable yet (${probe.reason}); building it`);
  }
  const started = Date.now();
  let built = false;
  if (args.route === 'stock' || (args.route === 'auto' && (await hostAnswers(STOCK_HOST)))) {
    built = stockRoute(pkgDir);
    if (!built && args.route === 'stock')
      throw new SetupError("tfjs-node's own installer failed (output above)", 'try --route wheel');
  } else if (args.route === 'auto') {
    log(`${STOCK_HOST} does not answer: the stock download cannot work here`);
  }
  if (!built) wheelRoute(pkgDir);
  const probe = probeBackend(pkgDir);
  if (!probe.ok) {
    throw new SetupError(
      `the addon was built but does not load: ${probe.reason}`,
      'run again with --force; if it persists, report the message above',
    );
  }
  log(`native backend ready: tfjs ${probe.version} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

function report(error) {
  log(`FAILED: ${error.message}`);
  if (error.fix) log(`what to do: ${error.fix}`);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const steps = [() => ensureTensorFlow(args), () => ensureSqlite(args, { log, run, env: nodeGypEnv(), SetupError })];
  let failed = false;
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      report(error);
      failed = true;
    }
  }
  if (failed) process.exit(1);
}

main().catch((error) => {
  report(error);
  process.exit(1);
});
