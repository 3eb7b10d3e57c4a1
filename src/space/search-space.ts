import type { ArchIssue, ArchSpec, Json } from '../core/arch.js';
import type { OptionsSchema, OptionValues } from '../core/options.js';
import type { Rng } from '../core/rng.js';
import type { CostReport } from './cost/index.js';

/** A choice of one decision: an op name, a width, a flag. */
export type Choice = string | number | boolean;

/** One categorical decision of a space, labelled by its path in the sample ("normal.node2.op0"). */
export interface Dimension {
  readonly label: string;
  readonly choices: readonly Choice[];
}

/** A problem with a sample: where (label path) and what was expected. */
export type SampleIssue = ArchIssue;

/**
 * The one-shot view of a cell space (DARTS): the edges of the cell(s) and the candidate ops on each;
 * a supernet puts a softmax-weighted mixture of the candidates on every edge.
 */
export interface Relaxation {
  readonly cells: readonly {
    readonly name: string;
    readonly edges: readonly {
      readonly id: string;
      readonly from: number;
      readonly to: number;
      readonly ops: readonly string[];
    }[];
  }[];
}

/** Weights of a relaxation per cell name: one row per edge, one entry per op of the edge. */
export type RelaxationWeights = Readonly<Record<string, readonly (readonly number[])[]>>;

/** Size of a supernet: channels (C) and cells (L for DARTS, N per stage for NB201); unset: the space's own. */
export type SupernetOptions = { readonly channels?: number; readonly layers?: number };

/** What the constraint hook sees: the cost model's figures for a frozen sample. */
export type CostPredicate = (cost: CostReport) => boolean;

/**
 * A search space: a set of labelled categorical decisions; fixing all of them gives an ArchSpec.
 * Samples are plain JSON (`S`), so they store, hash and cross threads as they are. All randomness
 * comes from the Rng passed in.
 */
export interface SearchSpace<S extends Json = Json> {
  readonly id: string;
  /** The flat decisions, in encoding order (what a generic strategy, TPE or the RL controller needs). */
  dimensions(): readonly Dimension[];
  /** Number of distinct samples (bigint: DARTS spaces exceed 2^53). */
  size(): bigint;
  /** Every problem of an untrusted value as a sample of this space; empty when valid. */
  validate(sample: unknown): SampleIssue[];
  sample(rng: Rng): S;
  /** One random change that stays inside the space (and differs from the input). */
  mutate(sample: S, rng: Rng): S;
  /** Every sample one decision away (for local search). */
  neighbours(sample: S): S[];
  /** A child mixing two parents, where meaningful. */
  crossover?(a: S, b: S, rng: Rng): S;
  /** The sample as one choice index per dimension. */
  encode(sample: S): number[];
  decode(indices: readonly number[]): S;
  /** The one-shot description, for cell spaces. */
  relaxation?(): Relaxation;
  /**
   * The discrete sample a relaxation's weights point to (DARTS's `genotype()`): `weights` holds, per
   * cell of `relaxation()`, one row per edge in its order, one weight per op of the edge.
   */
  derive?(weights: RelaxationWeights): S;
  /**
   * The supernet of the relaxation: the space's network with every edge a `mix` node over all its
   * candidate ops (attribute `alpha` naming the cell, `edge` its row), BatchNorm inside the ops
   * without affine parameters. `options` override the network's size for the search.
   */
  supernet?(options?: SupernetOptions): ArchSpec;
  /** The architecture of a sample, ready for the cost model and the builder. */
  freeze(sample: S): ArchSpec;
  /** The canonical key: a stable string; equal architectures, equal keys. */
  key(sample: S): string;
  /** A human-readable form, and back (NB201's benchmark string; JSON elsewhere). */
  format(sample: S): string;
  parse(text: string): S;
}

/** A registered space: name, description, options schema with defaults, factory. */
export interface SpaceEntry<O extends OptionsSchema = OptionsSchema, N extends string = string> {
  readonly name: N;
  readonly description: string;
  readonly options: O;
  create(options: OptionValues<O>): SearchSpace;
}

/** Returns its argument, typed with its literal name and options schema (a config's `space` is typed from them). */
export function defineSpace<const N extends string, const O extends OptionsSchema>(
  entry: SpaceEntry<O, N>,
): SpaceEntry<O, N> {
  return entry;
}
