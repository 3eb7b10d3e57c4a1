#!/usr/bin/env node
// The `nas` command. Runs the TypeScript sources directly (tsx), after making sure the native
// TensorFlow backend and SQLite are built: the project's .npmrc keeps dependency install scripts off
// (see scripts/setup-native.mjs), so the first run builds them, once.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Both native addons (TensorFlow, SQLite) are built: a cheap file check, the setup script verifies for real. */
function nativeAddonsBuilt() {
  const require = createRequire(import.meta.url);
  const tfLib = path.join(path.dirname(require.resolve('@tensorflow/tfjs-node/package.json')), 'lib');
  const tf =
    fs.existsSync(tfLib) && fs.readdirSync(tfLib).some((d) => fs.existsSync(path.join(tfLib, d, 'tfjs_binding.node')));
  const sqlite = fs.existsSync(
    path.join(path.dirname(require.resolve('sqlite3/package.json')), 'build', 'Release', 'node_sqlite3.node'),
  );
  return tf && sqlite;
}

// stdout is data (`nas … --json`): the setup's messages, and any its own children print, go to stderr.
if (!nativeAddonsBuilt()) {
  const setup = spawnSync(process.execPath, [path.join(root, 'scripts', 'setup-native.mjs')], {
    stdio: ['ignore', 2, 'inherit'],
    cwd: root,
  });
  if (setup.status !== 0) process.exit(setup.status ?? 1);
}

// nas's own tsconfig (JSX for the dashboard, module settings), whatever folder nas runs in; the
// pool's child process inherits it through the environment.
process.env.TSX_TSCONFIG_PATH = path.join(root, 'tsconfig.json');
register({ tsconfig: process.env.TSX_TSCONFIG_PATH });
await import('../src/cli/main.ts');
