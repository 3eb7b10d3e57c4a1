// The export formats of `nas export` (docs/inference.md, "Export formats") on the bench networks:
// size on disk, latency at batch 1 and 32 of each artefact loaded as its user would load it
// (src/eval/export/load.ts), and the largest difference of its logits from the eager model's (for the
// quantized formats, their quantization error; the full-integer one calibrated with min/max on 256
// images of the bench's input distribution).
// Then, if TensorFlow for Python is installed (`python3 -c "import tensorflow"`), the manual check
// that it loads the SavedModel with `tf.saved_model.load` and predicts the same logits.
//
//   npx tsx bench/export-formats.ts
//   npx tsx bench/export-formats.ts --int8-kernels   # saved-model, saved-model-int8 and
//       saved-model-int8-kernels only, on the ResNet-style sample and a plain conv-BN-ReLU ×6 network
//
// Networks (32×32×3, 10 classes) as in bench/fold.ts: NB201 around its best cell (C=16, N=5) and a
// ResNet-20-style macro sample, with seeded γ/β and moving statistics of their own activations.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-node';
import { loadTf } from '../src/backend/tf.js';
import { createImageSet, type ImageSet } from '../src/backend/data/types.js';
import { Rng } from '../src/core/rng.js';
import { buildModel } from '../src/eval/build/build-model.js';
import { EXPORT_FORMATS, FORMAT_FOLDERS, type ExportFormat } from '../src/eval/export/formats.js';
import { loadExported } from '../src/eval/export/load.js';
import { ExportNetworks } from '../src/eval/export/networks.js';
import { writeFormat } from '../src/eval/export/write-format.js';
import { setModelWeights, type WeightArray } from '../src/eval/fold.js';
import { measureMedianMs } from '../src/eval/latency.js';
import type { ResolvedArch } from '../src/space/resolve.js';
import { convReluChain, nb201Best, resnet20 } from './fixtures/networks.js';
import { trainedLike as trainedLikeWeights } from './fixtures/trained-like.js';

const tf = loadTf();
/** Images the full-integer format is calibrated on (nas export's default is 512 training images). */
const CALIBRATION_IMAGES = 256;
const out = (s: string) => void process.stdout.write(`${s}\n`);
const INT8_KERNELS = process.argv.includes('--int8-kernels');
const FORMATS: readonly ExportFormat[] = INT8_KERNELS
  ? ['saved-model', 'saved-model-int8', 'saved-model-int8-kernels']
  : EXPORT_FORMATS;

const trainedLike = (arch: ResolvedArch) => trainedLikeWeights(arch, 'bench-export');

function bytesUnder(file: string): number {
  const stat = fs.statSync(file);
  if (!stat.isDirectory()) return stat.size;
  return fs.readdirSync(file).reduce((n, f) => n + bytesUnder(path.join(file, f)), 0);
}

/**
 * Writes every format into `dir` as `nas export` lays them out (writeFormat), the full-integer one
 * calibrated with min/max on `calibration` (images as the bench feeds them); bytes of each.
 */
async function exportAll(
  arch: ResolvedArch,
  weights: ReadonlyMap<string, WeightArray>,
  calibration: ImageSet,
  dir: string,
): Promise<{ sizes: Record<ExportFormat, number>; integerOps?: string }> {
  const model = buildModel(arch, { seed: 1 });
  setModelWeights(model, weights);
  const saved = path.join(dir, 'trained');
  fs.mkdirSync(saved, { recursive: true });
  await model.save(`file://${saved}`);
  model.dispose();
  const layers = { dir: saved, files: ['model.json', 'weights.bin'] };
  const networks = new ExportNetworks(
    { arch, weights },
    {
      images: { set: calibration, indices: Uint32Array.from({ length: calibration.count }, (_, i) => i) },
      observer: 'minmax',
    },
  );
  const sizes = {} as Record<ExportFormat, number>;
  let integerOps: string | undefined;
  for (const format of FORMATS) {
    const written = await writeFormat(format, path.join(dir, FORMAT_FOLDERS[format]), networks, layers);
    sizes[format] = written.files.reduce((n, f) => n + bytesUnder(path.join(dir, FORMAT_FOLDERS[format], f)), 0);
    integerOps ??= written.integerOps;
  }
  return { sizes, ...(integerOps === undefined ? {} : { integerOps }) };
}

/** `count` images of standard normal pixels (the bench's inputs are such), seeded. */
function normalImages(count: number, shape: readonly [number, number, number], seed: string): ImageSet {
  const set = createImageSet(count, shape);
  const rng = new Rng(seed);
  for (let i = 0; i < set.images.length; i++) set.images[i] = rng.normal();
  return set;
}

function pythonTensorflow(): boolean {
  try {
    execFileSync('python3', ['-c', 'import tensorflow'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Logits of the SavedModel through Python's tf.saved_model.load (the manual check). */
function pythonLogits(savedModel: string, input: Float32Array, shape: readonly number[]): Float32Array {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nas-bench-py-'));
  fs.writeFileSync(path.join(dir, 'x.f32'), input);
  const script = [
    'import sys, numpy as np, tensorflow as tf',
    `x = np.fromfile(sys.argv[2], dtype=np.float32).reshape(${JSON.stringify(shape)})`,
    'model = tf.saved_model.load(sys.argv[1])',
    "logits = model.signatures['serving_default'](x=tf.constant(x))['logits'].numpy()",
    'logits.astype(np.float32).tofile(sys.argv[3])',
  ].join('\n');
  execFileSync('python3', ['-c', script, savedModel, path.join(dir, 'x.f32'), path.join(dir, 'y.f32')], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const bytes = fs.readFileSync(path.join(dir, 'y.f32'));
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

async function bench(name: string, arch: ResolvedArch, python: boolean): Promise<void> {
  const weights = trainedLike(arch);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nas-bench-export-'));
  const { sizes, integerOps } = await exportAll(
    arch,
    weights,
    normalImages(CALIBRATION_IMAGES, arch.inputShape as [number, number, number], 'bench-export-calibration'),
    dir,
  );
  const eager = buildModel(arch, { seed: 1 });
  setModelWeights(eager, weights);
  const x = tf.randomNormal(
    [8, ...arch.inputShape] as [number, number, number, number],
    0,
    1,
    'float32',
    1,
  ) as Tensor4D;
  const reference = tf.tidy(() => (eager.predict(x) as Tensor).dataSync() as Float32Array);
  eager.dispose();
  out(
    `\n${name} (logits up to |${Math.max(...Array.from(reference, Math.abs)).toFixed(2)}|)${integerOps === undefined ? '' : `; integer kernels: ${integerOps}`}`,
  );
  out('format                    KiB   batch 1 ms  batch 32 ms  max |diff|');
  const byFormat = new Map<ExportFormat, Float32Array>();
  for (const format of FORMATS) {
    const model = await loadExported(format, path.join(dir, FORMAT_FOLDERS[format]));
    const logits = tf.tidy(() => model.predict(x).dataSync() as Float32Array);
    const ms = [1, 32].map((batch) =>
      measureMedianMs(
        (input) => model.predict(input),
        [batch, ...arch.inputShape],
        batch === 1 ? { warmup: 5, repeats: 30 } : { warmup: 2, repeats: 10 },
      ),
    );
    out(
      `${format.padEnd(24)} ${(sizes[format] / 1024).toFixed(1).padStart(6)} ${(ms[0] as number).toFixed(2).padStart(11)} ${(ms[1] as number).toFixed(2).padStart(12)} ${maxAbs(reference, logits).toExponential(1).padStart(11)}`,
    );
    model.dispose();
    byFormat.set(format, logits);
  }
  const [int8, kernels] = [byFormat.get('saved-model-int8'), byFormat.get('saved-model-int8-kernels')];
  if (int8 !== undefined && kernels !== undefined)
    out(`saved-model-int8-kernels against saved-model-int8: max |diff| ${maxAbs(int8, kernels).toExponential(1)}`);
  if (python)
    out(
      `python tf.saved_model.load: max |diff| ${maxAbs(reference, pythonLogits(path.join(dir, 'saved-model'), x.dataSync() as Float32Array, x.shape)).toExponential(1)}`,
    );
  x.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const python = pythonTensorflow();
  out(
    `Export formats: size, latency (median after warm-up) and logits against the eager model; tfjs-node ${tf.version.tfjs}`,
  );
  out(
    python
      ? 'TensorFlow for Python found: checking the SavedModel with tf.saved_model.load'
      : 'TensorFlow for Python not installed here: the tf.saved_model.load check is skipped',
  );
  if (!INT8_KERNELS) await bench('NB201 best cell (C=16, N=5)', nb201Best(), python);
  await bench('macro ResNet-style sample (basic blocks [3, 3, 3], widths 16/32/64)', resnet20(), python);
  if (INT8_KERNELS)
    await bench('conv-BN-ReLU ×6 (3×3, widths 32, 32, 64 /2, 64, 128 /2, 128), GAP, dense', convReluChain(), python);
}

await main();
