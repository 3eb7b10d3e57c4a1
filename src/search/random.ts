import type { Json } from '../core/arch.js';
import { Rng, type RngState } from '../core/rng.js';
import { freshSample, seenKeys } from './history.js';
import { defineStrategy, type AskContext, type Proposal, type Strategy, type StrategyContext } from './strategy.js';

const MAX_DRAWS = 1000;

/** Random search with de-duplication by canonical key (Bergstra & Bengio 2012; Li & Talwalkar 2019). */
export class RandomSearch implements Strategy {
  private rng: Rng;

  constructor(private readonly context: StrategyContext) {
    this.rng = context.rng;
  }

  ask({ trials }: AskContext): Proposal {
    const sample = freshSample(this.context.space, this.rng, seenKeys(trials), MAX_DRAWS);
    if (sample !== undefined) return { kind: 'propose', sample };
    return { kind: 'done', why: `no new architecture in ${MAX_DRAWS} draws: the space looks exhausted` };
  }

  tell(): void {}

  snapshot(): Json {
    return { rng: this.rng.snapshot() };
  }

  restore(state: Json): void {
    this.rng = Rng.restore((state as { rng: RngState }).rng);
  }
}

/** Registry entry of random search. */
export const randomSearch = defineStrategy({
  name: 'random',
  description: 'uniform random samples of the space, never the same architecture twice',
  options: {},
  create: (context) => new RandomSearch(context),
});
