import type { Json } from '../core/arch.js';
import { OptionsError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { estimateCost, type CostOptions, type CostReport } from './cost/index.js';
import type { CostPredicate, SampleIssue, SearchSpace } from './search-space.js';

/** Upper bounds on the cost model's figures; each one given must hold. */
export interface Budget {
  /** Multiply-accumulates of one inference (`CostReport.macs`). */
  readonly maxMacs?: number;
  /** Trainable parameters, PyTorch convention (`CostReport.params.trainable`). */
  readonly maxParams?: number;
  /** Bytes to train at the given batch: weights, gradients, optimizer state, activations (`memory.trainTotal`). */
  readonly maxTrainMemory?: number;
}

const FIGURES: readonly [keyof Budget, string, (c: CostReport) => number][] = [
  ['maxMacs', 'MACs', (c) => c.macs],
  ['maxParams', 'trainable params', (c) => c.params.trainable],
  ['maxTrainMemory', 'training memory (bytes)', (c) => c.memory.trainTotal],
];

/** The bounds of `budget` that `cost` exceeds, as readable lines ("MACs 9000 > 8000"); empty when within. */
export function budgetViolations(budget: Budget, cost: CostReport): string[] {
  return FIGURES.flatMap(([key, what, figure]) => {
    const bound = budget[key];
    return bound !== undefined && figure(cost) > bound ? [`${what} ${figure(cost)} > ${key} ${bound}`] : [];
  });
}

/** The predicate "every bound of the budget holds"; throws {@link OptionsError} on a bound that is not a positive number. */
export function constraintFrom(budget: Budget): CostPredicate {
  const bad = FIGURES.flatMap(([key]) => {
    const v = budget[key];
    return v === undefined || (typeof v === 'number' && v > 0 && !Number.isNaN(v))
      ? []
      : [`${key}: expected a positive number, got ${JSON.stringify(v)}`];
  });
  if (bad.length > 0) throw new OptionsError(`the budget is invalid:${bad.map((b) => `\n  • ${b}`).join('')}`);
  return (cost) => budgetViolations(budget, cost).length === 0;
}

/** Whether a sample's frozen architecture satisfies the predicate under the cost model at `opts`. */
export function admissible<S extends Json>(
  space: SearchSpace<S>,
  sample: S,
  predicate: CostPredicate,
  opts: CostOptions,
): boolean {
  return predicate(estimateCost(space.freeze(sample), opts));
}

/**
 * The space restricted to admissible samples: `sample` and `mutate` retry (up to `maxTries`)
 * until the predicate holds, `crossover` falls back to parent a, `neighbours` drops the others, and
 * `validate` reports an inadmissible sample; `size()` stays the unconstrained count. Wrap a space with it and any strategy proposes only admissible samples.
 */
export function constrainSpace<S extends Json>(
  space: SearchSpace<S>,
  predicate: CostPredicate,
  opts: CostOptions,
  maxTries = 1000,
): SearchSpace<S> {
  const memo = new Map<string, boolean>();
  const ok = (s: S): boolean => {
    const k = space.key(s);
    let v = memo.get(k);
    if (v === undefined) memo.set(k, (v = admissible(space, s, predicate, opts)));
    return v;
  };
  const retry = (what: string, draw: () => S): S => {
    for (let t = 0; t < maxTries; t++) {
      const s = draw();
      if (ok(s)) return s;
    }
    throw new Error(
      `no admissible ${what} of space "${space.id}" after ${maxTries} tries: the constraint is too tight`,
    );
  };
  const wrapped: SearchSpace<S> = {
    ...bindAll(space),
    validate(sample: unknown): SampleIssue[] {
      const issues = space.validate(sample);
      if (issues.length > 0 || ok(sample as S)) return issues;
      return [{ path: 'sample', message: 'outside the constraint: the cost model rejects its frozen architecture' }];
    },
    sample: (rng: Rng) => retry('sample', () => space.sample(rng)),
    mutate: (sample: S, rng: Rng) => retry('mutation', () => space.mutate(sample, rng)),
    neighbours: (sample: S) => space.neighbours(sample).filter(ok),
  };
  const cross = space.crossover?.bind(space);
  if (cross === undefined) return wrapped;
  const crossover = (a: S, b: S, rng: Rng): S => {
    for (let t = 0; t < maxTries; t++) {
      const child = cross(a, b, rng);
      if (ok(child)) return child;
    }
    return a;
  };
  return { ...wrapped, crossover };
}

function bindAll<S extends Json>(space: SearchSpace<S>): SearchSpace<S> {
  const relax = space.relaxation?.bind(space);
  const derive = space.derive?.bind(space);
  const supernet = space.supernet?.bind(space);
  return {
    id: space.id,
    dimensions: () => space.dimensions(),
    size: () => space.size(),
    validate: (s) => space.validate(s),
    sample: (rng) => space.sample(rng),
    mutate: (s, rng) => space.mutate(s, rng),
    neighbours: (s) => space.neighbours(s),
    encode: (s) => space.encode(s),
    decode: (i) => space.decode(i),
    freeze: (s) => space.freeze(s),
    key: (s) => space.key(s),
    format: (s) => space.format(s),
    parse: (t) => space.parse(t),
    ...(relax === undefined ? {} : { relaxation: relax }),
    ...(derive === undefined ? {} : { derive }),
    ...(supernet === undefined ? {} : { supernet }),
  };
}
