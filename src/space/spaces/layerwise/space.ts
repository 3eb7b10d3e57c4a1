import { canonicalKey, type ArchSpec } from '../../../core/arch.js';
import { OptionsError, UserError } from '../../../core/errors.js';
import type { Rng } from '../../../core/rng.js';
import {
  crossoverIndices,
  mutateIndices,
  neighbourIndices,
  productSize,
  sampleIndices,
  type IndexRules,
} from '../../categorical.js';
import type { Dimension, SampleIssue, SearchSpace } from '../../search-space.js';
import { layerwiseNetwork, type LayerwiseNetwork } from './network.js';
import {
  LAYERWISE_OPS,
  decodeLayers,
  encodeLayers,
  layerwiseIssues,
  type LayerwiseOp,
  type LayerwiseSample,
} from './sample.js';

/** What defines a layer-wise space: depth, op set and the network skeleton. */
export interface LayerwiseConfig extends LayerwiseNetwork {
  readonly layers: number;
  readonly ops: readonly LayerwiseOp[];
}

function configProblems(c: LayerwiseConfig): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(c.layers) || c.layers < 1)
    problems.push(`layers: expected a positive integer, got ${c.layers}`);
  if (c.ops.length === 0 || c.ops.some((op) => !LAYERWISE_OPS.includes(op)))
    problems.push(`ops: expected a non-empty subset of ${LAYERWISE_OPS.join(', ')}, got ${JSON.stringify(c.ops)}`);
  const ordered = c.reductions.every((r, i) => i === 0 || r > (c.reductions[i - 1] as number));
  if (!ordered || c.reductions.some((r) => !Number.isInteger(r) || r < 0 || r > c.layers - 2)) {
    const hint = `ENAS puts them at ⌊L/3⌋−1 and 2⌊L/3⌋−1: [${Math.floor(c.layers / 3) - 1}, ${2 * Math.floor(c.layers / 3) - 1}]`;
    problems.push(
      `reductions: \`0 <= r <= layers − 2\`, increasing, must hold, but got (reductions=${JSON.stringify(c.reductions)}, layers=${c.layers}); ${hint}`,
    );
  }
  return problems;
}

/** The layer-wise (ENAS macro) space: per layer an op and a skip bit for every earlier output. */
export class LayerwiseSpace implements SearchSpace<LayerwiseSample> {
  readonly id = 'layerwise';
  private readonly ops: readonly LayerwiseOp[];
  private readonly rules: IndexRules;

  constructor(private readonly config: LayerwiseConfig) {
    const problems = configProblems(config);
    if (problems.length > 0)
      throw new OptionsError(
        `layerwise space has invalid options (${problems.length}):${problems.map((p) => `\n  • ${p}`).join('')}`,
      );
    this.ops = LAYERWISE_OPS.filter((op) => config.ops.includes(op));
    const dimensions = Array.from({ length: config.layers }, (_, i): Dimension[] => [
      { label: `layers[${i}].op`, choices: this.ops },
      ...Array.from({ length: i }, (_, j): Dimension => ({
        label: `layers[${i}].skips[${j}]`,
        choices: [false, true],
      })),
    ]).flat();
    this.rules = { dimensions };
  }

  dimensions(): readonly Dimension[] {
    return this.rules.dimensions;
  }

  size(): bigint {
    return productSize(this.rules.dimensions);
  }

  validate(sample: unknown): SampleIssue[] {
    return layerwiseIssues(sample, this.config.layers, this.ops);
  }

  sample(rng: Rng): LayerwiseSample {
    return this.decode(sampleIndices(this.rules, rng));
  }

  mutate(sample: LayerwiseSample, rng: Rng): LayerwiseSample {
    return this.decode(mutateIndices(this.rules, this.encode(sample), rng));
  }

  neighbours(sample: LayerwiseSample): LayerwiseSample[] {
    return neighbourIndices(this.rules, this.encode(sample)).map((i) => this.decode(i));
  }

  crossover(a: LayerwiseSample, b: LayerwiseSample, rng: Rng): LayerwiseSample {
    return this.decode(crossoverIndices(this.rules, this.encode(a), this.encode(b), rng));
  }

  encode(sample: LayerwiseSample): number[] {
    return encodeLayers(sample, this.ops);
  }

  decode(indices: readonly number[]): LayerwiseSample {
    return decodeLayers(indices, this.config.layers, this.ops);
  }

  freeze(sample: LayerwiseSample): ArchSpec {
    return layerwiseNetwork(sample, this.config);
  }

  /** Canonical JSON of the layers (op and skips only). */
  key(sample: LayerwiseSample): string {
    return canonicalKey({ layers: sample.layers.map((l) => ({ op: l.op, skips: l.skips })) });
  }

  format(sample: LayerwiseSample): string {
    return this.key(sample);
  }

  /** A sample from its JSON; a {@link UserError} (code SAMPLE) lists every problem. */
  parse(text: string): LayerwiseSample {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new UserError(
        'SAMPLE',
        `a layerwise sample must be JSON: ${(e as Error).message}`,
        'write it as {"layers":[{"op":"conv3x3","skips":[]}, …]}',
      );
    }
    const issues = this.validate(raw);
    if (issues.length > 0) {
      const lines = issues.map((i) => `\n  • ${i.path}: ${i.message}`).join('');
      throw new UserError(
        'SAMPLE',
        `not a sample of this layerwise space (${issues.length} problem${issues.length === 1 ? '' : 's'}):${lines}`,
        `layers: ${this.config.layers}, ops: ${this.ops.join(', ')}`,
      );
    }
    return this.decode(this.encode(raw as LayerwiseSample));
  }
}
