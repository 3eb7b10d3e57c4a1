// Regularized (aging) evolution: Real, Aggarwal, Huang & Le 2019, "Regularized Evolution for Image
// Classifier Architecture Search", Algorithm 1. A population of the P most recently finished
// models; each cycle samples S of them at random, mutates the best, and the oldest member leaves
// (here: by construction, as the population is always the last P finished trials).
// NOTE(deviation): optional crossover (`crossoverRate`, off by default), as in a genetic algorithm
// (Holland 1975; Goldberg 1989): the child of two tournament winners, then mutated like any child.
import type { Json } from '../core/arch.js';
import { OptionsError } from '../core/errors.js';
import { Rng, type RngState } from '../core/rng.js';
import type { Trial } from '../core/trial.js';
import { freshProposal, scoredTrials, seenKeys } from './history.js';
import { primary, scoresOf } from './objective.js';
import { crowdedCompare, paretoRanks } from './pareto.js';
import { defineStrategy, type AskContext, type Proposal, type Strategy, type StrategyContext } from './strategy.js';

const options = {
  populationSize: {
    type: 'integer',
    description: 'P: the population is the P most recently finished trials; the first P proposals are random',
    min: 2,
    default: 20,
  },
  sampleSize: {
    type: 'integer',
    description: 'S: members drawn (with replacement) for each tournament; must be ≤ populationSize',
    min: 1,
    default: 10,
  },
  selection: {
    type: 'enum',
    description:
      'tournament winner: best primary objective (fitness) or best NSGA-II Pareto rank over all objectives (pareto)',
    choices: ['fitness', 'pareto'],
    default: 'fitness',
  },
  dedupe: {
    type: 'boolean',
    description:
      'never propose an architecture already tried: redraw the tournament and mutation (up to 100 times), then a random new one',
    default: true,
  },
  crossoverRate: {
    type: 'number',
    description:
      "probability that a child is the space's crossover of two tournament winners (then mutated) instead of a mutant of one; 0: mutation only, as in the paper",
    min: 0,
    max: 1,
    default: 0,
  },
} as const;

type Options = {
  readonly populationSize: number;
  readonly sampleSize: number;
  readonly selection: string;
  readonly dedupe: boolean;
  readonly crossoverRate: number;
};
type Member = { readonly trial: Trial; readonly rank: number; readonly crowding: number };

const REDRAWS = 100;

/** Regularized (aging) evolution (Real et al. 2019, Alg. 1); the population is rebuilt from the history at every ask. */
export class RegularizedEvolution implements Strategy {
  private rng: Rng;
  private readonly crossover: ((a: Json, b: Json, rng: Rng) => Json) | undefined;

  constructor(
    private readonly context: StrategyContext,
    private readonly options: Options,
  ) {
    if (options.sampleSize > options.populationSize) {
      throw new OptionsError(
        `strategy "regularized-evolution" has invalid options:\n  • sampleSize: must be ≤ populationSize (${options.populationSize}), got ${options.sampleSize}`,
      );
    }
    this.crossover = context.space.crossover?.bind(context.space);
    if (options.crossoverRate > 0 && this.crossover === undefined) {
      throw new OptionsError(
        `strategy "regularized-evolution" has invalid options:\n  • crossoverRate: space "${context.space.id}" has no crossover, so it must be 0, got ${options.crossoverRate}`,
      );
    }
    this.rng = context.rng;
  }

  ask({ trials, running }: AskContext): Proposal {
    const seen = seenKeys(trials);
    const proposed = trials.filter((t) => t.state !== 'FAILED').length;
    const population = proposed < this.options.populationSize ? [] : this.population(trials);
    if (population.length === 0 && proposed >= this.options.populationSize && running > 0) return { kind: 'wait' };
    if (population.length > 0) {
      for (let i = 0; i < (this.options.dedupe ? REDRAWS : 1); i++) {
        const child = this.context.space.mutate(this.parent(population), this.rng);
        if (!this.options.dedupe || !seen.has(this.context.space.key(child))) return { kind: 'propose', sample: child };
      }
    }
    return freshProposal(this.context.space, this.rng, this.options.dedupe ? seen : new Set());
  }

  tell(): void {}

  snapshot(): Json {
    return { rng: this.rng.snapshot() };
  }

  restore(state: Json): void {
    this.rng = Rng.restore((state as { rng: RngState }).rng);
  }

  /** The P most recently finished COMPLETE trials with their Pareto rank and crowding (rank 0 = primary-objective order). */
  private population(trials: readonly Trial[]): Member[] {
    const recent = scoredTrials(trials, primary(this.context.objectives)).slice(-this.options.populationSize);
    if (this.options.selection === 'fitness') {
      return recent.map(({ trial, score }) => ({
        trial,
        rank: recent.filter((other) => other.score > score).length,
        crowding: 0,
      }));
    }
    const members = recent.flatMap(({ trial }) => {
      const s = scoresOf(trial, this.context.objectives);
      return s === undefined ? [] : [{ trial, s }];
    });
    const { rank, crowding } = paretoRanks(members.map((m) => m.s));
    return members.map((m, i) => ({ trial: m.trial, rank: rank[i] as number, crowding: crowding[i] as number }));
  }

  /**
   * What the child mutates: one tournament winner, or with probability `crossoverRate` the crossover
   * of two winners of independent tournaments, the second held among the members that are not the
   * first's architecture (over the whole population when all are). At rate 0 no Rng draw is added,
   * so proposals stay those of mutation-only evolution.
   */
  private parent(population: readonly Member[]): Json {
    const cross = this.crossover;
    if (cross === undefined || this.options.crossoverRate === 0 || this.rng.next() >= this.options.crossoverRate)
      return this.tournament(population).sample;
    const a = this.tournament(population);
    const others = population.filter((m) => m.trial.key !== a.key);
    const b = this.tournament(others.length > 0 ? others : population);
    return cross(a.sample, b.sample, this.rng);
  }

  /** S draws with replacement (Alg. 1); the winner has the best rank (ties: larger crowding, then first drawn). */
  private tournament(population: readonly Member[]): Trial {
    let best = this.rng.choice(population);
    for (let i = 1; i < this.options.sampleSize; i++) {
      const m = this.rng.choice(population);
      if (crowdedCompare(m, best) < 0) best = m;
    }
    return best.trial;
  }
}

/** Registry entry of regularized evolution. */
export const regularizedEvolution = defineStrategy({
  name: 'regularized-evolution',
  description:
    'aging evolution (Real et al. 2019): tournament of S from the last P finished, mutate the winner; optional Pareto-rank selection and crossover',
  options,
  create: (context, o) => new RegularizedEvolution(context, o),
});
