import { NB201_SIZE, fromProductIndex, productIndex, type Nb201Sample } from './conversions.js';
import { pythonShuffle } from './python-random.js';

/**
 * The benchmark's index order. NAS-Bench-201 (and NATS-Bench's topology space) enumerate the cells
 * in product order (`CellStructure.gen_all`), then shuffle them once with `random.seed(88);
 * random.shuffle(archs)` (AutoDL-Projects, exps/NAS-Bench-201/main.py `generate_meta_info`); the
 * shuffled list is the benchmark's `meta_archs`, so position = benchmark index. Replaying the
 * shuffle reproduces all 15,625 (index, string) pairs of the published table.
 */
const SHUFFLE_SEED = 88;

let order: { byIndex: Uint16Array; byProduct: Uint16Array } | undefined;

function table(): { byIndex: Uint16Array; byProduct: Uint16Array } {
  if (order === undefined) {
    const byIndex = Uint16Array.from(
      pythonShuffle(
        Array.from({ length: NB201_SIZE }, (_, i) => i),
        SHUFFLE_SEED,
      ),
    );
    const byProduct = new Uint16Array(NB201_SIZE);
    byIndex.forEach((p, i) => (byProduct[p] = i));
    order = { byIndex, byProduct };
  }
  return order;
}

/** The cell at a benchmark index (0..15624), as in the benchmark's tables. */
export function sampleAtBenchmarkIndex(index: number): Nb201Sample {
  if (!Number.isInteger(index) || index < 0 || index >= NB201_SIZE) {
    throw new RangeError(`expected a NAS-Bench-201 index in 0..${NB201_SIZE - 1}, got ${index}`);
  }
  return fromProductIndex(table().byIndex[index] as number);
}

/** The benchmark index of a cell. */
export function benchmarkIndexOf(sample: Nb201Sample): number {
  return table().byProduct[productIndex(sample)] as number;
}
