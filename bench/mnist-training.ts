// Training throughput of the baseline CNN on MNIST with the native backend.
//
//   npx tsx bench/mnist-training.ts            # full: one epoch of 60,000 images + the variants
//   npx tsx bench/mnist-training.ts --quick    # variants only, on 12,000 images
//
// Each configuration runs in its own process (TensorFlow's thread pools are fixed when it loads),
// one after the other; figures are images/s and ratios against the first (baseline) row, measured
// in the same run.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

type Variant = { name: string; batch: number; intraOp?: number; limit?: number };
type Result = { trainSeconds: number; imagesPerSecond: number; testAccuracy: number; trainImages: number };

const quick = process.argv.includes('--quick');
const subset = 12_000;
const variants: Variant[] = [
  { name: 'batch 64, TF default threads (baseline)', batch: 64, limit: subset },
  { name: 'batch 128', batch: 128, limit: subset },
  { name: 'batch 256', batch: 256, limit: subset },
  { name: 'batch 64, 1 intra-op thread', batch: 64, intraOp: 1, limit: subset },
  ...(quick ? [] : [{ name: 'batch 64, full epoch (60,000 images)', batch: 64 }]),
];

function runVariant(v: Variant): Result {
  const bin = fileURLToPath(new URL('../bin/nas.js', import.meta.url));
  const args = [
    bin,
    'baseline',
    '--json',
    '--batch',
    String(v.batch),
    ...(v.limit ? ['--limit', String(v.limit)] : []),
  ];
  const env = {
    ...process.env,
    ...(v.intraOp ? { TF_NUM_INTRAOP_THREADS: String(v.intraOp), TF_NUM_INTEROP_THREADS: '1' } : {}),
  };
  const out = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`${v.name} failed:\n${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop() as string) as Result;
}

const rows = variants.map((v) => ({ v, r: runVariant(v) }));
const base = rows[0]?.r.imagesPerSecond ?? 1;
process.stdout.write('MNIST baseline CNN, native backend (tfjs-node), one process per row\n');
process.stdout.write('variant                                   images  seconds  images/s  ratio  test acc\n');
for (const { v, r } of rows) {
  process.stdout.write(
    `${v.name.padEnd(40)} ${String(r.trainImages).padStart(7)} ${r.trainSeconds.toFixed(1).padStart(8)} ` +
      `${Math.round(r.imagesPerSecond).toString().padStart(9)} ${(r.imagesPerSecond / base).toFixed(2).padStart(6)} ` +
      `${(r.testAccuracy * 100).toFixed(2).padStart(8)}%\n`,
  );
}
