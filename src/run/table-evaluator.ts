import type { Json } from '../core/arch.js';
import type { TrialCost, TrialOutcome } from '../core/trial.js';
import { estimateCost, type CostOptions } from '../space/cost/index.js';
import type { SearchSpace } from '../space/search-space.js';
import type { BenchmarkTable } from '../space/benchmark-table.js';
import type { Evaluator, TrialTaskOutcome } from './evaluator.js';
import type { TrialTask } from './worker/trial-task.js';

/** Cost-model figures of a sample, in a trial's {@link TrialCost} shape. */
export function sampleCost(space: SearchSpace, sample: Json, costOptions: CostOptions): TrialCost {
  const cost = estimateCost(space.freeze(sample), costOptions);
  return {
    params: cost.params.trainable,
    paramsTotal: cost.params.total,
    macs: cost.macs,
    trainMemoryBytes: cost.memory.trainTotal,
    inferenceMemoryBytes: cost.memory.inferenceActivations,
    estimatedLatencyMs: cost.latency.estimatedMs,
  };
}

/** NAS-Bench-201's own setting (CIFAR-10, batch 256), for the cost figures of table trials. */
export const NB201_COST: CostOptions = { inputShape: [32, 32, 3], classes: 10, batch: 256 };

/**
 * An evaluator that answers a trial by looking its architecture up in a table instead of training
 * (NASLib's tabular benchmarks): metrics from the row, cost from the cost model. An architecture
 * missing from the table fails its trial.
 */
export function tableEvaluator(
  table: BenchmarkTable,
  space: SearchSpace,
  options: { readonly concurrency?: number; readonly cost?: CostOptions } = {},
): Evaluator {
  const costs = new Map<string, TrialCost>();
  const evaluate = (task: TrialTask): TrialTaskOutcome => {
    const key = space.key(task.sample);
    const metrics = table.lookup(key);
    if (metrics === undefined)
      return {
        ok: false,
        kind: 'error',
        error: { name: 'TableMiss', message: `${space.format(task.sample)} is not in ${table.source}` },
      };
    let cost = costs.get(key);
    if (cost === undefined) costs.set(key, (cost = sampleCost(space, task.sample, options.cost ?? NB201_COST)));
    const outcome: TrialOutcome = { metrics, cost, epochs: [], seconds: 0 };
    return { ok: true, value: outcome };
  };
  return {
    concurrency: options.concurrency ?? 1,
    run: async (task) => evaluate(task),
    close: async () => undefined,
  };
}
