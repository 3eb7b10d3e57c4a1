import type { EpochMetrics, Trial } from '../core/trial.js';
import type { Objective } from '../search/objective.js';
import { createPruner, type Curve, type Pruner } from '../search/pruners/index.js';

/** Objective metrics that a trial reports after every epoch, so a pruner can judge them mid-training. */
export const EPOCH_METRICS = ['validationAccuracy', 'validationLoss', 'trainAccuracy', 'trainLoss'] as const;
export type EpochMetric = (typeof EPOCH_METRICS)[number];

/** Whether `metric` is one a pruner can follow (an {@link EPOCH_METRICS} entry). */
export function isEpochMetric(metric: string): metric is EpochMetric {
  return (EPOCH_METRICS as readonly string[]).includes(metric);
}

/** Where a trial was pruned: the epoch (step) and its value of the followed metric. */
export type PrunedAt = { readonly step: number; readonly metric: string; readonly value: number; readonly why: string };

/**
 * The driver's side of pruning: a registered pruner applied to the primary objective's epoch
 * metric. The COMPLETE trials' curves come from their outcomes, the judged trial's from the epochs
 * it reported, so a decision depends on stored data only.
 */
export class TrialPruner {
  private readonly rule: Pruner;

  constructor(
    config: { readonly name: string; readonly options: Readonly<Record<string, unknown>> },
    private readonly objective: Objective,
  ) {
    if (!isEpochMetric(objective.metric))
      throw new Error(
        `pruner "${config.name}" needs an epoch metric as the primary objective (${EPOCH_METRICS.join(', ')}), got ${objective.metric}`,
      );
    this.rule = createPruner(config.name, config.options);
  }

  /** Judges a running trial after its latest epoch: where to stop it, or undefined to train on. */
  judge(epochs: readonly EpochMetrics[], trials: Iterable<Trial>): PrunedAt | undefined {
    const current = this.curve(epochs);
    const last = current[current.length - 1];
    if (last === undefined) return undefined;
    const completed: Curve[] = [];
    for (const t of trials)
      if (t.state === 'COMPLETE' && t.outcome !== undefined) completed.push(this.curve(t.outcome.epochs));
    const decision = this.rule({ direction: this.objective.direction, current, completed });
    return decision.prune
      ? { step: last.step, metric: this.objective.metric, value: last.value, why: decision.why }
      : undefined;
  }

  private curve(epochs: readonly EpochMetrics[]): Curve {
    const metric = this.objective.metric as EpochMetric;
    return [...epochs].sort((a, b) => a.epoch - b.epoch).map((e) => ({ step: e.epoch, value: e[metric] }));
  }
}

/** The message a PRUNED trial is recorded with: `pruned at epoch <step>: <metric> <value> (<why>)`. */
export function prunedMessage(at: PrunedAt): string {
  return `pruned at epoch ${at.step}: ${at.metric} ${at.value} (${at.why})`;
}

/** The step, metric and value of a PRUNED trial's message (written by {@link prunedMessage}), if it is one. */
export function prunedAtOf(trial: Pick<Trial, 'state' | 'message'>): Omit<PrunedAt, 'why'> | undefined {
  const match = trial.state === 'PRUNED' ? /^pruned at epoch (\d+): (\w+) (\S+) \(/.exec(trial.message ?? '') : null;
  if (match === null) return undefined;
  return { step: Number(match[1]), metric: match[2] as string, value: Number(match[3]) };
}
