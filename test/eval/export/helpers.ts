// Exporting networks with non-trivial weights, and predicting with the exports in a fresh Node
// process that imports only @tensorflow/tfjs-node (fixtures/predict.mjs), as a user of them would.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Tensor } from '@tensorflow/tfjs-node';
import { Rng } from '../../../src/core/rng.js';
import { loadTf } from '../../../src/backend/tf.js';
import { buildModel } from '../../../src/eval/build/build-model.js';
import { compileFrozen } from '../../../src/eval/compile/frozen.js';
import { writeFrozenSavedModel } from '../../../src/eval/export/saved-model.js';
import { writeTfjsGraphModel } from '../../../src/eval/export/tfjs-graph.js';
import { foldBatchNorm, modelWeights, setModelWeights, type WeightArray } from '../../../src/eval/fold.js';
import type { ResolvedArch } from '../../../src/space/resolve.js';

const PREDICT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'predict.mjs');

/** Frozen formats, as the child process names them. */
export type FrozenFormat = 'saved-model' | 'tfjs-graph';

/** The weights with BN statistics, γ, β and biases drawn from a seeded Rng (γ sometimes negative; also test/eval/fold.test.ts's). */
export function randomised(weights: ReadonlyMap<string, WeightArray>, seed: number): Map<string, WeightArray> {
  const rng = new Rng(seed).derive('bn');
  const draw: Record<string, () => number> = {
    gamma: () => (rng.next() < 0.2 ? -1 : 1) * (0.5 + rng.next()),
    beta: () => 0.5 * rng.normal(),
    moving_mean: () => 0.5 * rng.normal(),
    moving_variance: () => 0.3 + 1.5 * rng.next(),
    bias: () => 0.2 * rng.normal(),
  };
  return new Map(
    [...weights].map(([name, w]) => {
      const f = draw[name.slice(name.lastIndexOf('/') + 1)];
      return [name, f === undefined ? w : { shape: w.shape, data: Float32Array.from(w.data, () => f()) }];
    }),
  );
}

/** One exported network: where its formats are, the input file, and the eager model's logits on it. */
export type Exported = {
  readonly label: string;
  readonly dirs: Readonly<Record<FrozenFormat, string>>;
  readonly input: { readonly file: string; readonly shape: readonly number[] };
  readonly expected: Float32Array;
  /** Ops of the frozen graph. */
  readonly ops: ReadonlySet<string>;
};

/**
 * Builds `arch` (seeded), gives it non-trivial BN statistics and biases, folds, freezes and writes
 * both frozen formats under `root/<label>`; the eager (unfolded) model's logits on a seeded batch
 * are what the exports must predict.
 */
export async function exportNetwork(
  label: string,
  arch: ResolvedArch,
  seed: number,
  root: string,
  batch = 3,
): Promise<Exported> {
  const tf = loadTf();
  const model = buildModel(arch, { seed });
  const x = tf.randomNormal([batch, ...arch.inputShape], 0, 1, 'float32', seed);
  try {
    const weights = randomised(modelWeights(model), seed);
    setModelWeights(model, weights);
    const expected = tf.tidy(() => (model.predict(x) as Tensor).dataSync() as Float32Array);
    const folded = foldBatchNorm(arch, weights);
    const frozen = compileFrozen(folded.arch, folded.weights);
    const dir = path.join(root, label.replace(/[^A-Za-z0-9_.-]/g, '_'));
    const dirs = { 'saved-model': path.join(dir, 'saved-model'), 'tfjs-graph': path.join(dir, 'tfjs-graph') };
    await writeFrozenSavedModel(frozen, dirs['saved-model']);
    await writeTfjsGraphModel(frozen, dirs['tfjs-graph']);
    const file = path.join(dir, 'x.f32');
    const data = x.dataSync() as Float32Array;
    fs.writeFileSync(file, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return { label, dirs, input: { file, shape: x.shape }, expected, ops: new Set(frozen.nodes.map((n) => n.op)) };
  } finally {
    x.dispose();
    model.dispose();
  }
}

/** One model for the child process: its format, its folder (or model.json for tfjs-graph), its input. */
export type ChildModel = {
  readonly id: string;
  readonly format: FrozenFormat;
  readonly path: string;
  readonly input: { readonly file: string; readonly shape: readonly number[] };
};
export type ChildResult = {
  readonly id: string;
  readonly shape?: number[];
  readonly values?: number[];
  readonly error?: string;
};

/** The models of exported networks, both formats each. */
export function childModels(exports: readonly Exported[]): ChildModel[] {
  return exports.flatMap((e) => [
    { id: `${e.label} saved-model`, format: 'saved-model' as const, path: e.dirs['saved-model'], input: e.input },
    {
      id: `${e.label} tfjs-graph`,
      format: 'tfjs-graph' as const,
      path: path.join(e.dirs['tfjs-graph'], 'model.json'),
      input: e.input,
    },
  ]);
}

/** Loads and runs every model in one fresh `node fixtures/predict.mjs` process; results by id. */
export async function predictInChild(models: readonly ChildModel[]): Promise<Map<string, ChildResult>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nas-export-job-'));
  const inputs = [...new Map(models.map((m) => [m.input.file, m.input])).values()];
  const job = {
    inputs,
    models: models.map((m) => ({
      id: m.id,
      format: m.format,
      path: m.path,
      input: inputs.findIndex((i) => i.file === m.input.file),
    })),
  };
  const jobFile = path.join(dir, 'job.json');
  const outFile = path.join(dir, 'out.json');
  fs.writeFileSync(jobFile, JSON.stringify(job));
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, [PREDICT, jobFile, outFile], { maxBuffer: 16 << 20 }, (error, _stdout, stderr) =>
      error === null ? resolve() : reject(new Error(`predict.mjs failed: ${error.message}\n${stderr}`)),
    );
  });
  const out = JSON.parse(fs.readFileSync(outFile, 'utf8')) as { backend: string; results: ChildResult[] };
  if (out.backend !== 'tensorflow')
    throw new Error(`the child process ran on tfjs backend "${out.backend}", not the native one`);
  return new Map(out.results.map((r) => [r.id, r]));
}

/** The largest absolute difference between a child's logits and the expected ones; throws on its error or a shape mismatch. */
export function maxAbsDiff(result: ChildResult | undefined, expected: Float32Array): number {
  if (result === undefined) throw new Error('no result');
  if (result.error !== undefined) throw new Error(`${result.id}: ${result.error}`);
  const values = result.values as number[];
  if (values.length !== expected.length)
    throw new Error(
      `${result.id}: ${values.length} values, expected ${expected.length} (shape ${JSON.stringify(result.shape)})`,
    );
  let max = 0;
  for (let i = 0; i < values.length; i++)
    max = Math.max(max, Math.abs((values[i] as number) - (expected[i] as number)));
  return max;
}

export function tempRoot(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
