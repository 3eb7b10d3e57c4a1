import type { Json } from '../core/arch.js';
import type { SearchSpace } from '../space/search-space.js';
import { seenKeys } from './history.js';
import type { AskContext, Proposal, Strategy } from './strategy.js';

/**
 * Proposes given samples in order, each once (by canonical key, so a resumed search skips those
 * already tried), then is done: how a one-shot search's derived architectures reach the trial path.
 * Its state is the list itself and the trials, so there is nothing to snapshot.
 */
export class FixedSamples implements Strategy {
  constructor(
    private readonly space: SearchSpace,
    private readonly samples: readonly Json[],
    private readonly why: string,
  ) {}

  ask({ trials }: AskContext): Proposal {
    const seen = seenKeys(trials);
    const next = this.samples.find((s) => !seen.has(this.space.key(s)));
    return next === undefined ? { kind: 'done', why: this.why } : { kind: 'propose', sample: next };
  }

  tell(): void {}

  snapshot(): Json {
    return {};
  }

  restore(): void {}
}
