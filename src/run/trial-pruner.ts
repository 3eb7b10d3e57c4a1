import type { PrunedAt } from '../core/events.js';
import { isJsonObject, type Json } from '../core/arch.js';
import type { EpochMetrics, StepReport, Trial } from '../core/trial.js';
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

/** What a trial reports to the pruner: its epochs, or with `reportEvery` its step reports. */
export type Reported = EpochMetrics | StepReport;

/** A config's pruner: its name and options, and `reportEvery` (steps) for reports within the epochs. */
export type PrunerConfig = {
  readonly name: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly reportEvery?: number;
};

/**
 * The driver's side of pruning: a registered pruner applied to the primary objective's epoch
 * metric, after every epoch, or with `reportEvery` after every report (the pruner's steps are then
 * the reports: 1, 2, …). In epoch mode the COMPLETE trials' curves come from their outcomes; the
 * judged trial's, the running ones' and the PRUNED ones' from the epochs they reported. Reports are
 * all remembered as they come, the COMPLETE trials' too. A resumed search reads them back from
 * storage ({@link openTrialPruner}), so a decision depends on stored data only.
 */
export class TrialPruner {
  private readonly rule: Pruner;
  private readonly reportEvery: number | undefined;
  /** What each trial reported, by trial id (in epoch mode, the trials without an outcome only). */
  private readonly reported = new Map<number, readonly Reported[]>();

  /** `finalStep`: the epoch a trial trains to (train.epochs); with reports, the run's report count. */
  constructor(
    config: PrunerConfig,
    private readonly objective: Objective,
    private finalStep: number,
  ) {
    this.reportEvery = config.reportEvery;
    if (!isEpochMetric(objective.metric))
      throw new Error(
        `pruner "${config.name}" needs an epoch metric as the primary objective (${EPOCH_METRICS.join(', ')}), got ${objective.metric}`,
      );
    this.rule = createPruner(config.name, config.options);
  }

  /** Whether the trials report within the epochs (`reportEvery`): the driver judges their reports, not their epochs. */
  get judgesReports(): boolean {
    return this.reportEvery !== undefined;
  }

  /** Records what a trial reported so far (the judged ones are recorded by {@link judge}). */
  remember(trial: Pick<Trial, 'id'>, reported: readonly Reported[]): void {
    this.reported.set(trial.id, reported);
  }

  /**
   * Judges a running trial after its latest epoch or report: where to stop it, or undefined to train
   * on. `of`, when known: the run's last step (its epoch count, or its report count); that one is
   * not judged (pruning a finished run would save nothing and lose its result).
   */
  judge(
    trial: Pick<Trial, 'id' | 'number'>,
    reported: readonly Reported[],
    trials: Iterable<Trial>,
    of?: number,
  ): PrunedAt | undefined {
    this.remember(trial, reported);
    const current = this.curve(reported);
    const last = current[current.length - 1];
    const lastReported = reported[reported.length - 1];
    if (last === undefined || lastReported === undefined) return undefined;
    if (of !== undefined) this.finalStep = of;
    if (of !== undefined && last.step >= of) return undefined;
    const completed: Curve[] = [];
    const others: NumberedCurve[] = [];
    for (const t of trials) {
      if (t.id === trial.id) continue;
      const reported = this.reported.get(t.id);
      const finished = this.judgesReports ? reported : t.outcome?.epochs;
      if (t.state === 'COMPLETE' && finished !== undefined) {
        const curve = this.curve(finished);
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
      step: lastReported.epoch,
      ...('of' in lastReported ? { trainingStep: lastReported.step } : {}),
      metric: this.objective.metric,
      value: last.value,
      why: decision.why,
      ...(decision.rung === undefined ? {} : { rung: decision.rung }),
    };
  }

  /** The followed metric's values by the pruner's step: the epoch, or the report's number. */
  private curve(reported: readonly Reported[]): Curve {
    const metric = this.objective.metric as EpochMetric;
    const every = this.reportEvery;
    const stepOf = (r: Reported) => (every !== undefined && 'of' in r ? r.step / every : r.epoch);
    return reported.map((r) => ({ step: stepOf(r), value: r[metric] })).sort((a, b) => a.step - b.step);
  }
}

/** The event a trial's step report is stored as (the pruner of a resumed search reads them back). */
export const REPORT_EVENT = 'report';

/** A stored step report's payload. */
export type ReportPayload = { readonly trialId: number; readonly report: StepReport };

/**
 * A {@link TrialPruner} that knows what the trials of `history` reported (read from storage: a
 * resumed search): the PRUNED trials' epochs, or with step reports every finished trial's reports.
 */
export async function openTrialPruner(
  config: PrunerConfig,
  objective: Objective,
  finalStep: number,
  storage: Pick<Storage, 'listEpochs' | 'listEvents'>,
  history: readonly Trial[],
  experimentId: number,
): Promise<TrialPruner> {
  const pruner = new TrialPruner(config, objective, finalStep);
  if (!pruner.judgesReports) {
    for (const t of history) if (t.state === 'PRUNED') pruner.remember(t, await storage.listEpochs(t.id));
    return pruner;
  }
  const reports = new Map<number, StepReport[]>();
  for (const { payload } of await storage.listEvents(experimentId, { type: REPORT_EVENT })) {
    const report = isJsonObject(payload) ? stepReportOf(payload.report) : undefined;
    if (report === undefined || !isJsonObject(payload) || typeof payload.trialId !== 'number') continue;
    reports.set(payload.trialId, [...(reports.get(payload.trialId) ?? []), report]);
  }
  const finished = new Set(history.filter((t) => t.state === 'COMPLETE' || t.state === 'PRUNED').map((t) => t.id));
  for (const [trialId, list] of reports) if (finished.has(trialId)) pruner.remember({ id: trialId }, list);
  return pruner;
}

const REPORT_FIELDS = [
  'step',
  'epoch',
  'of',
  'trainLoss',
  'trainAccuracy',
  'validationLoss',
  'validationAccuracy',
] as const satisfies readonly (keyof StepReport)[];

/** A stored report read back, if it is one. */
function stepReportOf(json: Json | undefined): StepReport | undefined {
  if (!isJsonObject(json)) return undefined;
  const report: Partial<Record<keyof StepReport, number>> = {};
  for (const field of REPORT_FIELDS) {
    const value = json[field];
    if (typeof value !== 'number') return undefined;
    report[field] = value;
  }
  return report as StepReport; // every field was just checked
}

/** The message a PRUNED trial is recorded with: `pruned at epoch <step>[ (step <s>)][ (rung <r>)]: <metric> <value> (<why>)`. */
export function prunedMessage(at: PrunedAt): string {
  const step = at.trainingStep === undefined ? '' : ` (step ${at.trainingStep})`;
  const rung = at.rung === undefined ? '' : ` (rung ${at.rung})`;
  return `pruned at epoch ${at.step}${step}${rung}: ${at.metric} ${at.value} (${at.why})`;
}

/** The step, rung, metric and value of a PRUNED trial's message (written by {@link prunedMessage}), if it is one. */
export function prunedAtOf(trial: Pick<Trial, 'state' | 'message'>): Omit<PrunedAt, 'why'> | undefined {
  const match =
    trial.state === 'PRUNED'
      ? /^pruned at epoch (\d+)(?: \(step (\d+)\))?(?: \(rung (\d+)\))?: (\w+) (\S+) \(/.exec(trial.message ?? '')
      : null;
  if (match === null) return undefined;
  return {
    step: Number(match[1]),
    ...(match[2] === undefined ? {} : { trainingStep: Number(match[2]) }),
    ...(match[3] === undefined ? {} : { rung: Number(match[3]) }),
    metric: match[4] as string,
    value: Number(match[5]),
  };
}
