// Tree-structured Parzen estimator (Bergstra, Bardenet, Bengio & Kégl 2011, "Algorithms for
// Hyper-Parameter Optimization"), over the space's categorical decisions, with Optuna's defaults
// (`TPESampler`: 10 random start-up trials, 24 candidates, γ(n) = min(⌈0.1·n⌉, 25), prior weight 1,
// older trials down-weighted beyond 25). Finished trials split into the best γ(n) ("below", l) and
// the rest ("above", g); the candidate of largest l(x)/g(x) among draws from l is proposed.
import type { Json } from '../core/arch.js';
import { Rng, type RngState } from '../core/rng.js';
import { freshProposal, scoredTrials, seenKeys, tryDecode, type Scored } from './history.js';
import { primary } from './objective.js';
import { CategoricalParzen } from './parzen.js';
import { defineStrategy, type AskContext, type Proposal, type Strategy, type StrategyContext } from './strategy.js';

const options = {
  startupTrials: { type: 'integer', description: 'random samples before the model is used', min: 1, default: 10 },
  candidates: { type: 'integer', description: 'draws from l(x) scored by l(x)/g(x) at each ask', min: 1, default: 24 },
  gamma: {
    type: 'number',
    description: 'fraction of finished trials in the good group: ⌈gamma·n⌉ (at most maxGood)',
    min: 0.001,
    max: 1,
    default: 0.1,
  },
  maxGood: { type: 'integer', description: 'cap on the size of the good group', min: 1, default: 25 },
  priorWeight: {
    type: 'number',
    description: 'weight of the uniform prior kernel (and of the smoothing of every kernel)',
    min: 0.0001,
    default: 1,
  },
  multivariate: {
    type: 'boolean',
    description: 'model the decisions jointly (one kernel per trial over all decisions) instead of independently',
    default: false,
  },
} as const;

type Options = {
  readonly startupTrials: number;
  readonly candidates: number;
  readonly gamma: number;
  readonly maxGood: number;
  readonly priorWeight: number;
  readonly multivariate: boolean;
};

const ROUNDS = 20;

/** Optuna's `default_weights`: 1 for the 25 newest observations, a linear ramp from 1/n below them. */
export function ageWeights(n: number): number[] {
  if (n < 25) return Array.from({ length: n }, () => 1);
  const ramp = Array.from({ length: n - 25 }, (_, i) => (n - 25 === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (n - 26)));
  return [...ramp, ...Array.from({ length: 25 }, () => 1)];
}

/** TPE over categorical decisions (Bergstra et al. 2011; Optuna's TPESampler); never proposes an architecture twice. */
export class Tpe implements Strategy {
  private rng: Rng;
  private readonly choices: number[];

  constructor(
    private readonly context: StrategyContext,
    private readonly options: Options,
  ) {
    this.rng = context.rng;
    this.choices = context.space.dimensions().map((d) => d.choices.length);
  }

  ask({ trials }: AskContext): Proposal {
    const seen = seenKeys(trials);
    const scored = scoredTrials(trials, primary(this.context.objectives));
    if (scored.length >= this.options.startupTrials) {
      const sample = this.modelled(scored, seen);
      if (sample !== undefined) return { kind: 'propose', sample };
    }
    return freshProposal(this.context.space, this.rng, seen);
  }

  tell(): void {}

  snapshot(): Json {
    return { rng: this.rng.snapshot() };
  }

  restore(state: Json): void {
    this.rng = Rng.restore((state as { rng: RngState }).rng);
  }

  /**
   * The unseen, valid candidate of largest log l(x) − log g(x).
   * NOTE(deviation): candidates are whole vectors scored by the ratio of the (product) densities,
   * where Optuna's independent sampler takes each decision's own argmax; and already-tried or
   * invalid candidates are skipped, drawing more rounds of candidates if all are (Optuna does not
   * de-duplicate).
   */
  private modelled(scored: readonly Scored[], seen: ReadonlySet<string>): Json | undefined {
    const byNumber = [...scored].sort((a, b) => a.trial.number - b.trial.number);
    const nGood = Math.min(Math.ceil(this.options.gamma * scored.length), this.options.maxGood);
    const ranked = [...byNumber].sort((a, b) => b.score - a.score || a.trial.number - b.trial.number);
    const good = new Set(ranked.slice(0, nGood));
    const l = this.estimator(byNumber.filter((s) => good.has(s)));
    const g = this.estimator(byNumber.filter((s) => !good.has(s)));
    const joint = this.options.multivariate;
    for (let round = 0; round < ROUNDS; round++) {
      let best: { sample: Json; value: number } | undefined;
      for (let c = 0; c < this.options.candidates; c++) {
        const x = l.sample(this.rng, joint);
        const value = l.logPdf(x, joint) - g.logPdf(x, joint);
        if (best !== undefined && value <= best.value) continue;
        const sample = tryDecode(this.context.space, x);
        if (sample !== undefined && !seen.has(this.context.space.key(sample))) best = { sample, value };
      }
      if (best !== undefined) return best.sample;
    }
    return undefined;
  }

  private estimator(group: readonly Scored[]): CategoricalParzen {
    const observations = group.map((s) => this.context.space.encode(s.trial.sample));
    return new CategoricalParzen(this.choices, observations, ageWeights(group.length), this.options.priorWeight);
  }
}

/** Registry entry of TPE. */
export const tpe = defineStrategy({
  name: 'tpe',
  description:
    "tree-structured Parzen estimator (Bergstra et al. 2011) over the categorical decisions, Optuna's defaults",
  options,
  create: (context, o) => new Tpe(context, o),
});
