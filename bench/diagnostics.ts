// What training diagnostics cost (docs/training.md, *Diagnostics*): training images/s with
// diagnostics off against `diagnostics: true` (every part on, a check every 50 steps, histograms per
// epoch), on the compiled and on the eager engine, in one run.
//
//   npx tsx bench/diagnostics.ts            # 2 rounds × 310 steps per engine and setting
//   npx tsx bench/diagnostics.ts --quick    # 1 round × 210 steps
//
// Network: the macro ResNet-20 layout (bench/fixtures/networks.ts) on MNIST (28×28×1), batch 128, SGD.
// Images/s are over the steps after the 10th (the first steps pay TensorFlow's graph optimisation,
// once per signature), so checks at steps 50, 100, … fall inside the window; the first 10 steps' time
// is printed apart. Rounds alternate the settings; the figure is the median round. On a shared
// machine the two runs may see different loads, so the overhead is also estimated inside each run
// with diagnostics: (mean time of a check step − median time of the other steps) / (50 × that median),
// what a check every 50 steps adds, whatever the load did between runs; the first check, which pays
// the diagnose signature's graph optimisation once, is left out of it and printed apart.
import { loadDataset } from '../src/backend/data/index.js';
import { trainArch } from '../src/eval/train-model.js';
import type { TrainConfig } from '../src/eval/train/index.js';
import { assertArch } from '../src/space/index.js';
import { resnet20 } from './fixtures/networks.js';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 1 : 2;
const STEPS = quick ? 210 : 310;
const WARM = 10;
const BATCH = 128;
const out = (s: string) => void process.stdout.write(`${s}\n`);
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const mnist = await loadDataset('mnist');
const arch = assertArch(resnet20().spec, { inputShape: mnist.train.shape, classes: mnist.numClasses });
const data = { train: { set: mnist.train, indices: Uint32Array.from({ length: STEPS * BATCH }, (_, i) => i) } };

/** Steady images/s after the first WARM steps, the seconds of those first steps, and with diagnostics the overhead estimated from the check steps. */
async function measure(
  engine: 'compiled' | 'eager',
  diagnostics: boolean,
): Promise<{ imagesPerSecond: number; warmSeconds: number; checkOverhead: number; firstCheckSeconds: number }> {
  const stamps: number[] = [];
  const started = performance.now();
  const config: TrainConfig = {
    seed: 1,
    steps: STEPS,
    batchSize: BATCH,
    engine,
    ...(diagnostics ? { diagnostics: true } : {}),
  };
  const result = await trainArch(arch, data, config, {
    progressIntervalMs: 0,
    onProgress: () => void stamps.push(performance.now()),
  });
  if (diagnostics && (result.diagnostics?.checks.length ?? 0) === 0) throw new Error('no check was made');
  const [warm, last] = [stamps[WARM - 1] as number, stamps.at(-1) as number];
  // stamps[i] is taken after step i + 1; a step's time is the gap before its stamp.
  const times = stamps.slice(WARM).map((t, i) => ({ step: WARM + i + 1, ms: t - (stamps[WARM + i - 1] as number) }));
  const checks = new Set(result.diagnostics?.checks.map((c) => c.step));
  const plain = median(times.filter((t) => !checks.has(t.step)).map((t) => t.ms));
  // The first check pays the diagnose signature's one-time graph optimisation (printed apart); the last step is also the epoch's end.
  const checked = times.filter((t) => checks.has(t.step) && t.step !== STEPS);
  const later = checked.slice(1).map((t) => t.ms);
  const extra = later.length === 0 ? 0 : later.reduce((a, b) => a + b, 0) / later.length - plain;
  return {
    imagesPerSecond: ((STEPS - WARM) * BATCH) / ((last - warm) / 1000),
    warmSeconds: (warm - started) / 1000,
    checkOverhead: extra / (50 * plain),
    firstCheckSeconds: ((checked[0]?.ms ?? plain) - plain) / 1000,
  };
}

out(
  `macro ResNet-20 layout on MNIST, batch ${BATCH}, ${STEPS} steps, images/s over steps ${WARM + 1}–${STEPS} (checks at every 50th step), median of ${ROUNDS} round(s)`,
);
out(
  '| engine | off | diagnostics: true | on / off | a check every 50 steps, within the run | the first check, once | first 10 steps, off → on |',
);
out('| --- | --- | --- | --- | --- | --- | --- |');
for (const engine of ['compiled', 'eager'] as const) {
  const off: number[] = [];
  const on: number[] = [];
  const warm: [number, number][] = [];
  const overhead: number[] = [];
  const first: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const a = await measure(engine, false);
    const b = await measure(engine, true);
    off.push(a.imagesPerSecond);
    on.push(b.imagesPerSecond);
    warm.push([a.warmSeconds, b.warmSeconds]);
    overhead.push(b.checkOverhead);
    first.push(b.firstCheckSeconds);
  }
  const [o, d] = [median(off), median(on)];
  const [w0, w1] = warm[0] as [number, number];
  out(
    `| ${engine} | ${o.toFixed(1)} img/s | ${d.toFixed(1)} img/s | ${(d / o).toFixed(3)} | +${(100 * median(overhead)).toFixed(1)} % | +${median(first).toFixed(2)} s | ${w0.toFixed(2)} s → ${w1.toFixed(2)} s |`,
  );
}
