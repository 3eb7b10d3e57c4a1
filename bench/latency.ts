// Estimated vs measured inference latency of the reference networks on this machine.
//
//   npx tsx bench/latency.ts [--input 224x224x3] [--batch 8]
//
// The estimate is part 7's formula, FLOPs / (peak × efficiency), with the peak measured in the same
// run (the best of 1024² float32 matrix products); "efficiency" is what the measurement implies:
// estimated-at-100%-of-peak / measured. Measured: median of 10 runs after 3 warm-ups, batch 1, and
// median of 5 runs at batch B.
import { buildModel } from '../src/eval/build/build-model.js';
import { measureLatencyMs, measurePeakFlops } from '../src/eval/latency.js';
import { costOf } from '../src/space/cost/index.js';
import { references } from '../src/space/reference/index.js';
import { assertArch } from '../src/space/validate.js';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const inputShape = arg('--input', '224x224x3').split('x').map(Number);
const batch = Number(arg('--batch', '8'));

const peak = measurePeakFlops();
const line = (cells: string[]) => process.stdout.write(`${cells.join('  ')}\n`);
line([
  `machine peak ${(peak / 1e9).toFixed(1)} GFLOP/s (float32 matmul); input ${inputShape.join('x')}; default estimate efficiency 0.15`,
]);
line([
  'network     ',
  '  GFLOPs',
  ' est. ms @0.15',
  ' measured b=1',
  ' implied eff.',
  ` measured b=${batch}`,
  ' ms/image b=' + batch,
]);
for (const name of ['resnet18', 'resnet50', 'mobilenetv2']) {
  const arch = assertArch(
    (references[name] as NonNullable<(typeof references)[string]>).build({ inputShape, classes: 1000 }),
    {},
  );
  const cost = costOf(arch, { batch, peakFlops: peak, efficiency: 0.15 });
  const model = buildModel(arch, { seed: 0 });
  const b1 = measureLatencyMs(model, 1);
  const bB = measureLatencyMs(model, batch, { warmup: 1, repeats: 5 });
  model.dispose();
  const atPeakMs = (cost.flops / peak) * 1000;
  line([
    name.padEnd(12),
    (cost.flops / 1e9).toFixed(2).padStart(8),
    cost.latency.estimatedMs.toFixed(1).padStart(14),
    b1.toFixed(1).padStart(13),
    (atPeakMs / b1).toFixed(3).padStart(13),
    bB.toFixed(1).padStart(14),
    (bB / batch).toFixed(1).padStart(13),
  ]);
}
