import type { Json } from '../core/arch.js';
import type { OptionsSchema, OptionValues } from '../core/options.js';
import type { Rng } from '../core/rng.js';
import type { Trial } from '../core/trial.js';
import type { SearchSpace } from '../space/search-space.js';
import type { Objective } from './objective.js';

/** A strategy's answer to `ask`: try this sample (at this fidelity), wait for running trials, or stop. */
export type Proposal =
  | {
      readonly kind: 'propose';
      readonly sample: Json;
      readonly fidelity?: Readonly<Record<string, number>>;
      /** Train on from this trial's saved state (successive halving's promotion with continuation). */
      readonly continues?: number;
    }
  | { readonly kind: 'wait' }
  | { readonly kind: 'done'; readonly why: string };

/** What a strategy may read when asked: the trials so far (finished and running), read-only. */
export interface AskContext {
  readonly trials: readonly Trial[];
  /** Trials currently running (their results are not known yet). */
  readonly running: number;
}

/**
 * A multi-trial strategy (ask/tell; Optuna's study.ask/tell). It never sees tensors, threads or
 * storage; results arrive out of order through `tell`, keyed by trial id. Its state is JSON, so a
 * resumed search continues exactly. `wait` is only a valid answer while trials are running.
 */
export interface Strategy {
  ask(context: AskContext): Proposal;
  /** A trial finished (COMPLETE, FAILED or PRUNED); trials it never proposed (re-runs) are accepted too. */
  tell(trial: Trial): void;
  snapshot(): Json;
  restore(state: Json): void;
  /** Frees native resources (the RL controller's tensors); the strategy is unusable afterwards. */
  dispose?(): void;
}

/** What a strategy is made from: the space, its seeded Rng and the objectives (the first one primary). */
export interface StrategyContext {
  readonly space: SearchSpace;
  readonly rng: Rng;
  /** What to optimise, the first objective primary (e.g. [{ metric: 'validationAccuracy', direction: 'max' }]). */
  readonly objectives: readonly Objective[];
}

/** A registered strategy: name, description, options schema with defaults, factory. */
export interface StrategyEntry<O extends OptionsSchema = OptionsSchema, N extends string = string> {
  readonly name: N;
  readonly description: string;
  readonly options: O;
  create(context: StrategyContext, options: OptionValues<O>): Strategy;
}

/** Returns its argument, typed with its literal name and options schema (a config's `strategy` is typed from them). */
export function defineStrategy<const N extends string, const O extends OptionsSchema>(
  entry: StrategyEntry<O, N>,
): StrategyEntry<O, N> {
  return entry;
}
