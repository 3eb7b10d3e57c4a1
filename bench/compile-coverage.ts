// How much of each search space the compiler takes: 200 seeded samples per space (default options,
// 32×32×3 input, 10 classes), each compiled to a graph with its training signature and loaded into a
// TensorFlow session (which checks every node's shapes and kernels). A sample that does not compile
// would train on the eager engine; the table says how many and why. Also the compile and load times.
//
//   npx tsx bench/compile-coverage.ts              # 200 samples per space
//   npx tsx bench/compile-coverage.ts --samples 20
import { Rng } from '../src/core/rng.js';
import { compileArch, CompiledModel } from '../src/eval/compile/index.js';
import { resolveTrainConfig } from '../src/eval/train/index.js';
import { createSpace } from '../src/space/spaces/index.js';
import { assertArch } from '../src/space/validate.js';

const at = process.argv.indexOf('--samples');
const SAMPLES = at >= 0 ? Number(process.argv[at + 1]) : 200;
const train = resolveTrainConfig({ seed: 1 });
const out = (s: string) => void process.stdout.write(`${s}\n`);
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

out(`space       compiled   failed   compile ms (median)   load ms (median)   graph nodes (median)`);
for (const name of ['nb201', 'darts', 'macro', 'layerwise']) {
  const space = createSpace(name, {});
  const rng = new Rng(`coverage/${name}`);
  const failures = new Map<string, number>();
  const compileMs: number[] = [];
  const loadMs: number[] = [];
  const nodes: number[] = [];
  let ok = 0;
  for (let i = 0; i < SAMPLES; i++) {
    const sample = space.sample(rng);
    try {
      const arch = assertArch(space.freeze(sample), { inputShape: [32, 32, 3], classes: 10 });
      let t = performance.now();
      const graph = compileArch(arch, train);
      compileMs.push(performance.now() - t);
      nodes.push(graph.nodeCount);
      t = performance.now();
      (await CompiledModel.load(graph)).dispose();
      loadMs.push(performance.now() - t);
      ok += 1;
    } catch (error) {
      const reason = (error as Error).message.split('\n')[0] ?? '';
      failures.set(reason, (failures.get(reason) ?? 0) + 1);
    }
  }
  out(
    `${name.padEnd(11)} ${`${ok}/${SAMPLES}`.padStart(8)} ${String(SAMPLES - ok).padStart(8)} ${median(compileMs).toFixed(0).padStart(21)} ${median(loadMs).toFixed(0).padStart(18)} ${median(nodes).toFixed(0).padStart(22)}`,
  );
  for (const [reason, n] of failures) out(`  ${n} × ${reason}`);
}
