import type { CostOptions } from '../space/cost/index.js';
import { constrainSpace, constraintFrom, type Budget } from '../space/constraint.js';
import type { StrategyContext } from './strategy.js';

/**
 * The constraint filter, usable around any strategy: its context with the space restricted to the
 * samples whose cost-model figures stay within `budget` (a thin wrapper over `constrainSpace`), so
 * nothing over budget is ever trained. Strategies that draw through the space's moves (random,
 * evolution, local search) get admissible samples; those that decode index vectors (TPE, REINFORCE)
 * skip candidates that the space's `validate` rejects.
 */
export function withConstraint(context: StrategyContext, budget: Budget, cost: CostOptions): StrategyContext {
  return { ...context, space: constrainSpace(context.space, constraintFrom(budget), cost) };
}
