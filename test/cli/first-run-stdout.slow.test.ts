import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeNb201Table } from '../run/table-fixture.js';
import { ROOT, runCli, tempDir, writeConfig } from './helpers.js';
import { parseJsonDocument, parseJsonLines } from './json-output.js';

// The first `nas` run of a fresh checkout builds the native TensorFlow backend (bin/nas.js runs
// scripts/setup-native.mjs) before the command; its messages, and those of the programs it runs
// (pip, Python, node-gyp), must go to stderr, or they end up in the JSON a script reads from stdout
// (it once printed "14 headers" there). So the setup runs here for real, through the launcher:
// a copy of the whole checkout (npm install, 800 MB of libraries) would be too expensive, and
// running setup-native.mjs against the installed addon would only check it and skip the build. The
// checkout below copies the sources, links every installed dependency except tfjs-node, which is
// copied without its addon; with an empty cache the launcher finds no addon and the setup takes
// the wheel route from the start: pip download (from the index pip is configured with, or
// $NAS_TF_WHEEL), extraction of the libraries and headers, the node-gyp build (about 30 s in all).
// The cache gets 850 MB, deleted afterwards.

const checkout = tempDir('nas-first-run-');
const tfjsNode = path.join(checkout, 'node_modules/@tensorflow/tfjs-node');
const env = { NAS_CACHE_DIR: path.join(checkout, 'cache'), NAS_TF_ROUTE: 'wheel' };

/** `from`'s entries linked into a new folder `to`, but `except`. */
function linkEntries(from: string, to: string, except: string): void {
  fs.mkdirSync(to);
  for (const name of fs.readdirSync(from))
    if (name !== except) fs.symlinkSync(path.join(from, name), path.join(to, name));
}

/** This checkout's sources and installed dependencies, with tfjs-node's addon not built (no lib/, deps/ or build folder). */
function unbuiltCheckout(): void {
  for (const entry of ['bin', 'scripts', 'src', 'package.json', 'tsconfig.json', '.npmrc'])
    fs.cpSync(path.join(ROOT, entry), path.join(checkout, entry), { recursive: true });
  linkEntries(path.join(ROOT, 'node_modules'), path.join(checkout, 'node_modules'), '@tensorflow');
  linkEntries(
    path.join(ROOT, 'node_modules/@tensorflow'),
    path.join(checkout, 'node_modules/@tensorflow'),
    'tfjs-node',
  );
  const installed = path.join(ROOT, 'node_modules/@tensorflow/tfjs-node');
  const built = new Set(['lib', 'deps', 'build-tmp-napi-v8']);
  fs.cpSync(installed, tfjsNode, { recursive: true, filter: (from) => !built.has(path.relative(installed, from)) });
}

/** A table-benchmark experiment (look-ups, no training) of 4 trials. */
function experimentDir(): string {
  const dir = tempDir('nas-first-run-exp-');
  const table = writeNb201Table((s) => [s.node1.length], ['acc']);
  writeConfig(
    dir,
    'nb.ts',
    `{ name: 'nb', dataset: { name: 'synthetic' }, space: { name: 'nb201' }, strategy: { name: 'random' },
       benchmark: { table: ${JSON.stringify(table)}, metric: 'acc' }, objectives: [{ metric: 'acc', direction: 'max' }],
       budget: { trials: 4 }, workers: 1, storage: 'nas.sqlite' }`,
  );
  return dir;
}

afterAll(() => fs.rmSync(checkout, { recursive: true, force: true }));

describe('the first run of a fresh checkout', () => {
  const dir = experimentDir();

  it('builds the native backend with every message on stderr; stdout is only the JSON events', async () => {
    unbuiltCheckout();
    const run = await runCli(['search', 'nb.ts', '--reporter', 'json'], dir, { checkout, env });
    expect(run.code, run.stderr).toBe(0);
    const events = parseJsonLines(run.stdout);
    expect(events.map((e) => e.type)).toEqual([
      'experiment-started',
      ...Array<string[]>(4).fill(['trial-started', 'trial-finished']).flat(),
      'experiment-finished',
    ]);
    // the setup did its work: the wheel route, extraction into the empty cache, the build
    expect(run.stderr).toMatch(/^\[setup-native\] native backend not usable yet \(.*\); building it$/m);
    expect(run.stderr).toMatch(
      /^\[setup-native\] extracted libtensorflow_cc\.so\.2, libtensorflow_framework\.so\.2 and 14 C headers$/m,
    );
    expect(run.stderr).toMatch(
      /^\[setup-native\] native backend ready: tfjs 4\.22\.0 \/ TensorFlow 2\.21\.0 \(\d+\.\d s\)$/m,
    );
    expect(fs.existsSync(path.join(tfjsNode, 'lib/napi-v8/tfjs_binding.node'))).toBe(true);
    expect(fs.existsSync(path.join(env.NAS_CACHE_DIR, 'libtensorflow-2.21.0-linux-x64/.complete'))).toBe(true);
  });

  it('a later run does not set up again, and its stdout is one JSON document', async () => {
    const run = await runCli(['ls', '--storage', 'nas.sqlite', '--json'], dir, { checkout, env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('[setup-native]');
    const ls = parseJsonDocument(run.stdout) as { experiments: { name: string }[] };
    expect(ls.experiments.map((e) => e.name)).toEqual(['nb']);
  });
});
