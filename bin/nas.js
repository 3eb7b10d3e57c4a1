#!/usr/bin/env node
// The `nas` command. Runs the TypeScript sources directly (tsx), after making sure the native
// TensorFlow backend is built: the project's .npmrc keeps dependency install scripts off (see
// scripts/setup-native.mjs), so the first run builds it, once.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function nativeAddonBuilt() {
  const pkg = path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-node/package.json'));
  const lib = path.join(pkg, 'lib');
  return fs.existsSync(lib) && fs.readdirSync(lib).some((d) => fs.existsSync(path.join(lib, d, 'tfjs_binding.node')));
}

if (!nativeAddonBuilt()) {
  const setup = spawnSync(process.execPath, [path.join(root, 'scripts', 'setup-native.mjs')], { stdio: 'inherit', cwd: root });
  if (setup.status !== 0) process.exit(setup.status ?? 1);
}

register();
await import('../src/cli/main.ts');
