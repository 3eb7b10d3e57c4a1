import { checkOptions } from '../../core/options.js';
import { findOneShot } from '../../search/index.js';
import { PRUNERS } from '../../search/pruners/index.js';
import { EPOCH_METRICS, isEpochMetric } from '../../run/trial-pruner.js';
import type { Problem } from './problems.js';

/**
 * Problems of `pruner`: its name and options, then what it needs from the other sections: an epoch
 * metric as the primary objective, trials that train (not a benchmark table, not one-shot), and no
 * successive halving (pruning inside rungs is not built yet).
 */
export function prunerProblems(raw: Record<string, unknown>): Problem[] {
  const pruner = raw.pruner;
  if (typeof pruner !== 'object' || pruner === null || typeof (pruner as { name?: unknown }).name !== 'string')
    return [];
  const { name, options } = pruner as { name: string; options?: unknown };
  const entry = PRUNERS.find((p) => p.name === name);
  if (entry === undefined)
    return [
      {
        path: 'pruner.name',
        message: `expected one of ${PRUNERS.map((p) => p.name).join(', ')}, got ${JSON.stringify(name)}`,
      },
    ];
  const problems: Problem[] = [];
  if (typeof options === 'object' && options !== null) {
    problems.push(
      ...checkOptions(entry.options, options as Readonly<Record<string, unknown>>).problems.map((p) => ({
        path: `pruner.options.${p.key}`,
        message: p.message,
      })),
    );
  }
  if (raw.benchmark !== undefined) {
    problems.push({
      path: 'pruner',
      message:
        'expected no pruner with `benchmark`: a table trial has no epoch curve, so pruning is not simulated there (docs/strategies.md, "Pruners")',
    });
  }
  const strategy = raw.strategy as { name?: unknown; halving?: unknown } | undefined;
  if (typeof strategy?.name === 'string' && findOneShot(strategy.name) !== undefined) {
    problems.push({
      path: 'pruner',
      message: `expected no pruner with the one-shot strategy "${strategy.name}" (it derives its candidates from one supernet)`,
    });
  }
  if (strategy?.halving !== undefined) {
    problems.push({
      path: 'pruner',
      message: 'expected no pruner with `strategy.halving`: successive halving already stops trials at its rungs',
    });
  }
  const objectives = raw.objectives as readonly { metric?: unknown }[] | undefined;
  const metric = Array.isArray(objectives) ? objectives[0]?.metric : 'validationAccuracy';
  if (typeof metric === 'string' && !isEpochMetric(metric)) {
    problems.push({
      path: 'pruner',
      message: `the pruner needs an epoch metric as the primary objective (objectives[0].metric one of ${EPOCH_METRICS.join(', ')}), got ${JSON.stringify(metric)}`,
    });
  }
  return problems;
}
