import { canonicalKey, type ArchSpec } from '../../../core/arch.js';
import { UserError } from '../../../core/errors.js';
import type { Rng } from '../../../core/rng.js';
import {
  crossoverIndices,
  mutateIndices,
  neighbourIndices,
  productSize,
  sampleIndices,
  type IndexRules,
} from '../../categorical.js';
import type {
  Dimension,
  Relaxation,
  RelaxationWeights,
  SampleIssue,
  SearchSpace,
  SupernetOptions,
} from '../../search-space.js';
import {
  EDGES,
  NB201_OPS,
  NODES,
  cellIssues,
  fromBenchmarkString,
  fromIndices,
  toBenchmarkString,
  toIndices,
  type Nb201Sample,
} from './conversions.js';
import { deriveCell } from './derive.js';
import { nb201Network, nb201Supernet, type Nb201Network } from './network.js';

const DIMENSIONS: readonly Dimension[] = EDGES.map(([to, from]) => ({
  label: `node${to}[${from}]`,
  choices: NB201_OPS,
}));
const RULES: IndexRules = { dimensions: DIMENSIONS };
const FORM = '|op~0|+|op~0|op~1|+|op~0|op~1|op~2|';

/** The NAS-Bench-201 cell space: six edges, five ops each, inside the benchmark's network. */
export class Nb201Space implements SearchSpace<Nb201Sample> {
  readonly id = 'nb201';

  constructor(private readonly network: Nb201Network) {}

  dimensions(): readonly Dimension[] {
    return DIMENSIONS;
  }

  size(): bigint {
    return productSize(DIMENSIONS);
  }

  validate(sample: unknown): SampleIssue[] {
    return cellIssues(sample);
  }

  sample(rng: Rng): Nb201Sample {
    return fromIndices(sampleIndices(RULES, rng));
  }

  mutate(sample: Nb201Sample, rng: Rng): Nb201Sample {
    return fromIndices(mutateIndices(RULES, toIndices(sample), rng));
  }

  neighbours(sample: Nb201Sample): Nb201Sample[] {
    return neighbourIndices(RULES, toIndices(sample)).map(fromIndices);
  }

  crossover(a: Nb201Sample, b: Nb201Sample, rng: Rng): Nb201Sample {
    return fromIndices(crossoverIndices(RULES, toIndices(a), toIndices(b), rng));
  }

  encode(sample: Nb201Sample): number[] {
    return toIndices(sample);
  }

  decode(indices: readonly number[]): Nb201Sample {
    return fromIndices(indices);
  }

  relaxation(): Relaxation {
    const edges = EDGES.map(([to, from]) => ({ id: `node${to}[${from}]`, from, to, ops: NB201_OPS }));
    return { cells: [{ name: 'cell', edges }] };
  }

  /** The argmax op of every edge, `none` included (NB201's DARTS `genotype()`; see ./derive.ts). */
  derive(weights: RelaxationWeights): Nb201Sample {
    return deriveCell(weights);
  }

  /** The benchmark's network with every cell a search cell; `size.layers` is the cells per stage (N). */
  supernet(size: SupernetOptions = {}): ArchSpec {
    return nb201Supernet({
      cells: size.layers ?? this.network.cells,
      channels: size.channels ?? this.network.channels,
    });
  }

  freeze(sample: Nb201Sample): ArchSpec {
    return nb201Network(sample, this.network);
  }

  /** Canonical JSON of the three node lists (one cell, one key; see nb201FunctionKey for isomorphism). */
  key(sample: Nb201Sample): string {
    return canonicalKey(Object.fromEntries(NODES.map((n) => [n, sample[n]])));
  }

  format(sample: Nb201Sample): string {
    return toBenchmarkString(sample);
  }

  /** The benchmark's string form; a {@link UserError} (code SAMPLE) names what is wrong. */
  parse(text: string): Nb201Sample {
    try {
      return fromBenchmarkString(text);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      throw new UserError(
        'SAMPLE',
        `"${text}" is not a NAS-Bench-201 cell: ${e.message}`,
        `write it as ${FORM} with ops from ${NB201_OPS.join(', ')}`,
      );
    }
  }
}
