import type { Rng } from '../core/rng.js';
import type { Dimension } from './search-space.js';

/**
 * Generic moves over a sample written as one choice index per dimension (the encoding every space
 * offers). A space whose decisions are independent uses them as they are; a space with constraints
 * between decisions passes `isValid`, and moves skip invalid index vectors.
 */
export type IndexRules = {
  readonly dimensions: readonly Dimension[];
  /** Constraints between decisions; default: every index vector is valid. */
  readonly isValid?: (indices: readonly number[]) => boolean;
};

const MAX_TRIES = 1000;

/** A uniformly random valid index vector (rejection sampling on `isValid`). */
export function sampleIndices(rules: IndexRules, rng: Rng): number[] {
  for (let t = 0; t < MAX_TRIES; t++) {
    const indices = rules.dimensions.map((d) => rng.int(d.choices.length));
    if (rules.isValid?.(indices) ?? true) return indices;
  }
  throw new Error(`no valid sample after ${MAX_TRIES} tries: the space's constraints are too tight`);
}

/** One random decision changed to another of its choices, keeping the vector valid. */
export function mutateIndices(rules: IndexRules, indices: readonly number[], rng: Rng): number[] {
  const movable = rules.dimensions.flatMap((d, i) => (d.choices.length > 1 ? [i] : []));
  if (movable.length === 0) throw new Error('the space has a single sample: nothing to mutate');
  for (let t = 0; t < MAX_TRIES; t++) {
    const dim = rng.choice(movable);
    const n = (rules.dimensions[dim] as Dimension).choices.length;
    const next = [...indices];
    next[dim] = ((indices[dim] as number) + 1 + rng.int(n - 1)) % n;
    if (rules.isValid?.(next) ?? true) return next;
  }
  throw new Error(`no valid mutation after ${MAX_TRIES} tries`);
}

/** Every valid vector that differs from `indices` in exactly one decision. */
export function neighbourIndices(rules: IndexRules, indices: readonly number[]): number[][] {
  const out: number[][] = [];
  rules.dimensions.forEach((d, dim) => {
    for (let c = 0; c < d.choices.length; c++) {
      if (c === indices[dim]) continue;
      const next = [...indices];
      next[dim] = c;
      if (rules.isValid?.(next) ?? true) out.push(next);
    }
  });
  return out;
}

/** Uniform crossover: each decision from one parent or the other, falling back to parent a if invalid. */
export function crossoverIndices(rules: IndexRules, a: readonly number[], b: readonly number[], rng: Rng): number[] {
  for (let t = 0; t < MAX_TRIES; t++) {
    const child = a.map((ai, i) => (rng.next() < 0.5 ? ai : (b[i] as number)));
    if (rules.isValid?.(child) ?? true) return child;
  }
  return [...a];
}

/** Labelled issues of an index vector: length, range, constraints. */
export function indexIssues(rules: IndexRules, indices: readonly number[]): { path: string; message: string }[] {
  if (indices.length !== rules.dimensions.length) {
    return [{ path: 'sample', message: `expected ${rules.dimensions.length} decisions, got ${indices.length}` }];
  }
  const issues = rules.dimensions.flatMap((d, i) => {
    const v = indices[i] as number;
    return Number.isInteger(v) && v >= 0 && v < d.choices.length
      ? []
      : [{ path: d.label, message: `expected a choice index in 0..${d.choices.length - 1}, got ${v}` }];
  });
  if (issues.length === 0 && !(rules.isValid?.(indices) ?? true))
    issues.push({ path: 'sample', message: 'the decisions break a constraint of the space' });
  return issues;
}

/** Product of the choice counts (the size of an unconstrained space). */
export function productSize(dimensions: readonly Dimension[]): bigint {
  return dimensions.reduce((acc, d) => acc * BigInt(d.choices.length), 1n);
}
