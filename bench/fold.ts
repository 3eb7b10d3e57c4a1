// Inference latency before and after folding BatchNorm into the preceding layer (src/eval/fold.ts,
// design part 5.2), on the eager tfjs model and on the compiled graph (src/eval/compile, inference
// only), at batch 1 and 32.
//
//   npx tsx bench/fold.ts            # 5 rounds per figure
//   npx tsx bench/fold.ts --quick    # 1 round
//
// Networks (32×32×3, 10 classes): the NAS-Bench-201 network around its best cell (C=16, N=5) and a
// macro-space ResNet-style sample (ResNet-20 layout: basic blocks [3, 3, 3], widths 16/32/64), as in
// bench/compiled-training.ts. The BN layers get seeded random γ/β (a trained network's are not 1/0,
// and folding the initial ones would hide errors) and moving statistics of the network's own
// activations (40 training-mode forward passes over seeded random batches of 16, momentum 0.9), so
// outputs keep a trained network's scale; then the network is folded. A figure
// is the median over rounds of `measureLatencyMs` / `compiledLatency` (each a median of timed runs
// after warm-up), the unfolded and folded models alternating within a round; ratio = after / before.
// The max output difference is over a seeded batch of 8 (eager unfolded vs eager and compiled folded).
import type { LayersModel, Tensor, Tensor4D } from '@tensorflow/tfjs-node';
import { loadTf } from '../src/backend/tf.js';
import { buildModel } from '../src/eval/build/build-model.js';
import { compileFromModel, type CompiledModel } from '../src/eval/compile/index.js';
import { foldBatchNorm, setModelWeights, type WeightArray } from '../src/eval/fold.js';
import { measureLatencyMs, type TimingOptions } from '../src/eval/latency.js';
import { compiledLatency } from '../src/eval/train-model.js';
import type { ResolvedArch } from '../src/space/resolve.js';
import { nb201Best, resnet20 } from './fixtures/networks.js';
import { trainedLike } from './fixtures/trained-like.js';

const tf = loadTf();
const ROUNDS = process.argv.includes('--quick') ? 1 : 5;
const BATCHES = [1, 32] as const;
const out = (s: string) => void process.stdout.write(`${s}\n`);
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const timing = (batch: number): TimingOptions =>
  batch === 1 ? { warmup: 5, repeats: 30 } : { warmup: 2, repeats: 10 };

function maxAbsDifference(a: Tensor, b: Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);
}

type Variant = { readonly arch: ResolvedArch; readonly model: LayersModel; readonly compiled: CompiledModel };

async function variant(arch: ResolvedArch, weights: ReadonlyMap<string, WeightArray>): Promise<Variant> {
  const model = buildModel(arch, { seed: 1 });
  setModelWeights(model, weights);
  return { arch, model, compiled: await compileFromModel(arch, model) };
}

/** Median over rounds of one measurement of the unfolded and the folded variant, alternating. */
function rounds(measure: (v: Variant) => number, before: Variant, after: Variant): [number, number] {
  const times: [number[], number[]] = [[], []];
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? [0, 1] : [1, 0];
    for (const i of order) times[i as 0 | 1].push(measure(i === 0 ? before : after));
  }
  return [median(times[0]), median(times[1])];
}

async function bench(name: string, arch: ResolvedArch): Promise<void> {
  const weights = trainedLike(arch);
  const folding = foldBatchNorm(arch, weights);
  const before = await variant(arch, weights);
  const after = await variant(folding.arch, folding.weights);
  const x = tf.randomNormal(
    [8, ...arch.inputShape] as [number, number, number, number],
    0,
    1,
    'float32',
    1,
  ) as Tensor4D;
  const reference = before.model.predict(x) as Tensor;
  const eagerFolded = after.model.predict(x) as Tensor;
  const compiledFolded = after.compiled.predict(x);
  const bns = arch.nodes.filter((n) => n.node.op === 'bn').length;
  out(
    `\n${name}: ${folding.folded.length} of ${bns} BN nodes folded; layers ${before.model.layers.length} → ${after.model.layers.length}; params ${before.model.countParams()} → ${after.model.countParams()}`,
  );
  out(
    `max |output difference| (batch 8, outputs up to ${tf.tidy(() => tf.max(tf.abs(reference)).dataSync()[0] as number).toFixed(2)}): eager ${maxAbsDifference(reference, eagerFolded).toExponential(1)}, compiled ${maxAbsDifference(reference, compiledFolded).toExponential(1)}`,
  );
  tf.dispose([x, reference, eagerFolded, compiledFolded]);
  out(`engine     batch   before ms   after ms   after/before`);
  for (const engine of ['eager', 'compiled'] as const) {
    for (const batch of BATCHES) {
      const measure =
        engine === 'eager'
          ? (v: Variant) => measureLatencyMs(v.model, batch, timing(batch))
          : (v: Variant) => compiledLatency(v.compiled, v.arch, { batch, ...timing(batch) });
      const [b, a] = rounds(measure, before, after);
      out(
        `${engine.padEnd(9)} ${String(batch).padStart(6)} ${b.toFixed(2).padStart(11)} ${a.toFixed(2).padStart(10)} ${(a / b).toFixed(2).padStart(14)}`,
      );
    }
  }
  for (const v of [before, after]) {
    v.compiled.dispose();
    v.model.dispose();
  }
}

async function main(): Promise<void> {
  out(`BatchNorm folding: inference latency, median of ${ROUNDS} round(s); tfjs-node ${tf.version.tfjs}`);
  await bench('NB201 best cell (C=16, N=5)', nb201Best());
  await bench('macro ResNet-style sample (basic blocks [3, 3, 3], widths 16/32/64)', resnet20());
}

await main();
