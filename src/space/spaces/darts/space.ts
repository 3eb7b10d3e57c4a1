import { canonicalKey, type ArchSpec } from '../../../core/arch.js';
import { UserError } from '../../../core/errors.js';
import type { Rng } from '../../../core/rng.js';
import type {
  Dimension,
  Relaxation,
  RelaxationWeights,
  SampleIssue,
  SearchSpace,
  SupernetOptions,
} from '../../search-space.js';
import { deriveGenotype } from './derive.js';
import { dartsDecode, dartsDimensions, dartsEncode, dartsSize } from './encoding.js';
import { CELLS, canonicalSample, genotypeIssues, type DartsConfig, type DartsSample } from './genotype.js';
import { readGenotype } from './genotype-text.js';
import { dartsCrossover, dartsMutate, dartsNeighbours, dartsSample } from './moves.js';
import { dartsNetwork } from './network.js';
import { dartsSupernet } from './supernet.js';

function sampleError(issues: readonly SampleIssue[]): UserError {
  const n = issues.length;
  const lines = issues.map((i) => `\n  • ${i.path}: ${i.message}`).join('');
  return new UserError(
    'SAMPLE',
    `darts sample is invalid (${n} problem${n === 1 ? '' : 's'}):${lines}`,
    'docs/spaces.md shows the genotype forms the darts space reads',
  );
}

/**
 * The DARTS cell space (Liu et al. 2019): a normal and a reduction cell of B nodes, each summing two ops
 * on two distinct earlier states. Samples are genotypes, a node's two edges in either order (the
 * paper's genotypes list the stronger edge first); key and freeze read every spelling as the canonical
 * one (edges ordered by input), so both orders are one architecture with one key.
 */
export class DartsSpace implements SearchSpace<DartsSample> {
  readonly id = 'darts';
  private readonly dims: readonly Dimension[];

  constructor(readonly config: DartsConfig) {
    this.dims = dartsDimensions(config);
  }

  dimensions(): readonly Dimension[] {
    return this.dims;
  }

  size(): bigint {
    return dartsSize(this.config);
  }

  validate(sample: unknown): SampleIssue[] {
    return genotypeIssues(sample, this.config);
  }

  sample(rng: Rng): DartsSample {
    return dartsSample(this.config, rng);
  }

  mutate(sample: DartsSample, rng: Rng): DartsSample {
    return dartsMutate(sample, this.config, rng);
  }

  neighbours(sample: DartsSample): DartsSample[] {
    return dartsNeighbours(sample, this.config);
  }

  crossover(a: DartsSample, b: DartsSample, rng: Rng): DartsSample {
    return dartsCrossover(a, b, rng);
  }

  encode(sample: DartsSample): number[] {
    return dartsEncode(sample, this.config);
  }

  decode(indices: readonly number[]): DartsSample {
    return dartsDecode(indices, this.config, this.dims);
  }

  /** Both cells with every edge j → k (j < k) and the whole op set, `none` included. */
  relaxation(): Relaxation {
    const { nodes, relaxed } = this.config;
    return {
      cells: CELLS.map((name) => ({
        name,
        edges: Array.from({ length: nodes }, (_, n) => n + 2).flatMap((to) =>
          Array.from({ length: to }, (_, from) => ({ id: `${name}.node${to}.from${from}`, from, to, ops: relaxed })),
        ),
      })),
    };
  }

  /** DARTS's `genotype()`: per node the two strongest edges ignoring `none`, stronger first, each with its best op (see ./derive.ts). */
  derive(weights: RelaxationWeights): DartsSample {
    return deriveGenotype(weights, this.config);
  }

  /** The search network (`model_search.py`); `size` overrides C and L (the paper searches at C = 16, L = 8). */
  supernet(size?: SupernetOptions): ArchSpec {
    return dartsSupernet(this.config, size);
  }

  freeze(sample: DartsSample): ArchSpec {
    return dartsNetwork(canonicalSample(sample), this.config);
  }

  key(sample: DartsSample): string {
    return canonicalKey(canonicalSample(sample));
  }

  /** Compact JSON `{"normal":[[op,input],…],"reduce":[…]}`, edges as the sample spells them. */
  format(sample: DartsSample): string {
    return JSON.stringify({ normal: sample.normal, reduce: sample.reduce });
  }

  /** Reads the JSON form or the paper's `Genotype(normal=[…], normal_concat=…, reduce=[…], …)`. */
  parse(text: string): DartsSample {
    const { value, issues } = text.trim().startsWith('{') ? readJson(text) : readGenotype(text, this.config.nodes);
    issues.push(...(issues.some((i) => i.path === 'sample') ? [] : genotypeIssues(value, this.config)));
    if (issues.length > 0) throw sampleError(issues);
    const { normal, reduce } = value as DartsSample;
    return { normal, reduce };
  }
}

function readJson(text: string): { value: unknown; issues: SampleIssue[] } {
  try {
    return { value: JSON.parse(text) as unknown, issues: [] };
  } catch (e) {
    return {
      value: undefined,
      issues: [{ path: 'sample', message: `expected JSON or a Genotype(…) text: ${(e as Error).message}` }],
    };
  }
}
