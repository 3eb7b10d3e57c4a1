// Makes sure the native addon of `sqlite3` (nas's storage) is built and loads. The project's .npmrc
// turns dependency install scripts off, so `npm install` leaves it unbuilt; this does what the
// package's own install script does (`prebuild-install -r napi || node-gyp rebuild`):
//   prebuilt  download the release's prebuilt addon from GitHub (seconds, when GitHub answers);
//   source    compile it with node-gyp from the SQLite amalgamation bundled in the package (about a
//             minute on 2 cores; needs make, a C/C++ compiler, python3 and Node's headers).
// Idempotent: when the addon loads, it only checks (a fraction of a second).

import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

function sqlite3Dir(SetupError) {
  const require = createRequire(path.join(process.cwd(), 'package.json'));
  try {
    return path.dirname(require.resolve('sqlite3/package.json'));
  } catch {
    throw new SetupError(
      'sqlite3 is not installed in node_modules',
      'run `npm install` (or `npm ci`) in the project folder first',
    );
  }
}

/** Loads sqlite3 in a fresh process; returns the SQLite version, or the reason it does not load. */
function probe(pkgDir) {
  const code = `const s = require(${JSON.stringify(pkgDir)});
    const db = new s.Database(':memory:');
    db.get('SELECT sqlite_version() AS v', (e, row) => { if (e) throw e; process.stdout.write(row.v); db.close(); });`;
  const result = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
  if (result.status === 0) return { ok: true, version: result.stdout.trim() };
  const lines = (result.stderr || '').split('\n');
  const reason =
    lines.find((l) => /^\w*Error:/.test(l)) ?? lines.find((l) => l.trim() !== '') ?? `exit ${result.status}`;
  return { ok: false, reason: reason.trim() };
}

function nodeGyp(pkgDir, env) {
  try {
    return createRequire(path.join(pkgDir, 'package.json')).resolve('node-gyp/bin/node-gyp.js');
  } catch {
    return env.npm_config_node_gyp;
  }
}

function prebuiltRoute(pkgDir, { log }) {
  const bin = createRequire(path.join(pkgDir, 'package.json')).resolve('prebuild-install/bin.js');
  log('sqlite3: trying the prebuilt addon (prebuild-install -r napi, from GitHub releases)');
  const result = spawnSync(process.execPath, [bin, '-r', 'napi'], { cwd: pkgDir, encoding: 'utf8', timeout: 120_000 });
  if (result.status === 0) return true;
  const why = (result.stderr || '').trim().split('\n').pop() || result.error?.message || `exit ${result.status}`;
  log(`sqlite3: no prebuilt addon (${why.replace(/^prebuild-install /, '')})`);
  return false;
}

function sourceRoute(pkgDir, { log, run, env, SetupError }) {
  const gyp = nodeGyp(pkgDir, env);
  if (gyp === undefined) {
    throw new SetupError(
      "node-gyp was not found (neither sqlite3's optional dependency nor npm's own)",
      'run `npm install` again, or install node-gyp globally (npm install -g node-gyp)',
    );
  }
  log('sqlite3: compiling the addon and the bundled SQLite with node-gyp (about a minute)');
  if (!run(process.execPath, [gyp, 'rebuild', '--jobs', 'max'], { cwd: pkgDir, env })) {
    throw new SetupError(
      'the sqlite3 addon build failed (output above)',
      'node-gyp needs make, a C/C++ compiler, python3 and Node headers: apt-get install build-essential python3; offline, Node headers must be installed beside node (include/node) or set npm_config_nodedir',
    );
  }
}

/**
 * Ensures sqlite3's addon loads, building it when it does not (or always, with `force`).
 * `tools`: { log, run, env, SetupError } of setup-native.mjs (`env`: its node-gyp environment).
 */
export function ensureSqlite({ force }, tools) {
  const { log, SetupError } = tools;
  const pkgDir = sqlite3Dir(SetupError);
  if (!force) {
    const found = probe(pkgDir);
    if (found.ok) {
      log(`sqlite3 ready: SQLite ${found.version}`);
      return;
    }
    log(`sqlite3 addon not usable yet (${found.reason}); building it`);
  }
  const started = Date.now();
  if (!prebuiltRoute(pkgDir, tools)) {
    sourceRoute(pkgDir, tools);
  } else if (!probe(pkgDir).ok) {
    log('sqlite3: the prebuilt addon does not load here; compiling instead');
    sourceRoute(pkgDir, tools);
  }
  const found = probe(pkgDir);
  if (!found.ok)
    throw new SetupError(
      `the sqlite3 addon was built but does not load: ${found.reason}`,
      'run again with --force; if it persists, report the message above',
    );
  log(`sqlite3 ready: SQLite ${found.version} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
