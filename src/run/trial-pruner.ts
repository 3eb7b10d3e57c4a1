import type { PrunedAt } from '../core/events.js';
import type { EpochMetrics, Trial } from '../core/trial.js';
import type { Storage } from '../backend/storage/index.js';
import type { Objective } from '../search/objective.js';
import { createPruner, type Curve, type NumberedCurve, type Pruner } from '../search/pruners/index.js';

/** Objective metrics that a trial reports after every epoch, so a pruner can judge them mid-training. */
export const EPOCH_METRICS = ['validationAccuracy', 'validationLoss', 'trainAccuracy', 'trainLoss'] as const;
export type EpochMetric = (typeof EPOCH_METRICS)[number];

/** Whether `metric` is one a pruner can follow (an {@link EPOCH_METRICS} entry). */
export function isEpochMetric(metric: string): metric is EpochMetric {
  return (EPOCH_METRICS as readonly string[]).includes(metric);
}

// Defined in core: the driver's trial-progress event carries it.
export type { PrunedAt } from '../core/events.js';

/**
 * The driver's side of pruning: a registered pruner applied to the primary objective's epoch
 * metric. The COMPLETE trials' curves come from their outcomes; the judged trial's, the running
 * ones' and the PRUNED ones' from the epochs they reported (a resumed search reads the PRUNED ones'
 * back from storage: {@link openTrialPruner}), so a decision depends on stored data only.
 */
export class TrialPruner {
  private readonly rule: Pruner;
  /** The epochs each trial without an outcome reported (running, pruned), by trial id. */
  private readonly reported = new Map<number, readonly EpochMetrics[]>();

  /** `finalStep`: the epoch a trial trains to (train.epochs). */
  constructor(
    config: { readonly name: string; readonly options: Readonly<Record<string, unknown>> },
    private readonly objective: Objective,
    private readonly finalStep: number,
  ) {
    if (!isEpochMetric(objective.metric))
      throw new Error(
        `pruner "${config.name}" needs an epoch metric as the primary objective (${EPOCH_METRICS.join(', ')}), got ${objective.metric}`,
      );
    this.rule = createPruner(config.name, config.options);
  }

  /** Records the epochs a trial reported so far (the judged ones are recorded by {@link judge}). */
  remember(trial: Pick<Trial, 'id'>, epochs: readonly EpochMetrics[]): void {
    this.reported.set(trial.id, epochs);
  }

  /** Judges a running trial after its latest epoch: where to stop it, or undefined to train on. */
  judge(
    trial: Pick<Trial, 'id' | 'number'>,
    epochs: readonly EpochMetrics[],
    trials: Iterable<Trial>,
  ): PrunedAt | undefined {
    this.remember(trial, epochs);
    const current = this.curve(epochs);
    const last = current[current.length - 1];
    if (last === undefined) return undefined;
    const completed: Curve[] = [];
    const others: NumberedCurve[] = [];
    for (const t of trials) {
      if (t.id === trial.id) continue;
      const reported = this.reported.get(t.id);
      if (t.state === 'COMPLETE' && t.outcome !== undefined) {
        const curve = this.curve(t.outcome.epochs);
        completed.push(curve);
        others.push({ number: t.number, curve });
      } else if ((t.state === 'PRUNED' || t.state === 'RUNNING') && reported !== undefined)
        others.push({ number: t.number, curve: this.curve(reported) });
    }
    const decision = this.rule({
      direction: this.objective.direction,
      current,
      completed,
      number: trial.number,
      others,
      finalStep: this.finalStep,
    });
    if (!decision.prune) return undefined;
    return {
      step: last.step,
      metric: this.objective.metric,
      value: last.value,
      why: decision.why,
      ...(decision.rung === undefined ? {} : { rung: decision.rung }),
    };
  }

  private curve(epochs: readonly EpochMetrics[]): Curve {
    const metric = this.objective.metric as EpochMetric;
    return [...epochs].sort((a, b) => a.epoch - b.epoch).map((e) => ({ step: e.epoch, value: e[metric] }));
  }
}

/** A {@link TrialPruner} that knows the epochs of the PRUNED trials in `history` (read from storage: a resumed search). */
export async function openTrialPruner(
  config: { readonly name: string; readonly options: Readonly<Record<string, unknown>> },
  objective: Objective,
  finalStep: number,
  storage: Pick<Storage, 'listEpochs'>,
  history: readonly Trial[],
): Promise<TrialPruner> {
  const pruner = new TrialPruner(config, objective, finalStep);
  for (const t of history) if (t.state === 'PRUNED') pruner.remember(t, await storage.listEpochs(t.id));
  return pruner;
}

/** The message a PRUNED trial is recorded with: `pruned at epoch <step>[ (rung <r>)]: <metric> <value> (<why>)`. */
export function prunedMessage(at: PrunedAt): string {
  const rung = at.rung === undefined ? '' : ` (rung ${at.rung})`;
  return `pruned at epoch ${at.step}${rung}: ${at.metric} ${at.value} (${at.why})`;
}

/** The step, rung, metric and value of a PRUNED trial's message (written by {@link prunedMessage}), if it is one. */
export function prunedAtOf(trial: Pick<Trial, 'state' | 'message'>): Omit<PrunedAt, 'why'> | undefined {
  const match =
    trial.state === 'PRUNED'
      ? /^pruned at epoch (\d+)(?: \(rung (\d+)\))?: (\w+) (\S+) \(/.exec(trial.message ?? '')
      : null;
  if (match === null) return undefined;
  return {
    step: Number(match[1]),
    ...(match[2] === undefined ? {} : { rung: Number(match[2]) }),
    metric: match[3] as string,
    value: Number(match[4]),
  };
}
