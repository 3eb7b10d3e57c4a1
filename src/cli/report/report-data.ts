// What a report shows, gathered from storage into plain data (the charts and the page take only this).
import type { EpochMetrics, Trial } from '../../core/trial.js';
import type { ExperimentConfig, Objective } from '../../run/config.js';
import { listExports, type ExportRecord } from '../commands/export/export-event.js';
import { epochsOf, loadExperiment, primaryObjective, rankTrials, readStorage } from '../../run/experiment-data.js';
import { metricOf } from '../../search/objective.js';
import { createSpace } from '../../space/spaces/index.js';
import { loadOneShot, type OneShotReport } from './oneshot-data.js';

/** How many top trials get epoch curves and cell drawings. */
export const TOP_CURVES = 5;
/** How many PRUNED trials (the first by number) get their curve drawn grey, up to where they stopped. */
export const PRUNED_CURVES = 30;
export const TOP_DRAWINGS = 3;

/** One trial's figures for the charts: number, accuracy, cost, and whether it is on a Pareto front. */
export interface TrialPoint {
  readonly number: number;
  readonly accuracy: number;
  readonly macs: number;
  readonly params: number;
  readonly paretoMacs: boolean;
  readonly paretoParams: boolean;
}

/** One trial's recorded epochs for the curves chart; a PRUNED trial's stop at the epoch it was stopped at. */
export interface TrialCurve {
  readonly number: number;
  readonly epochs: readonly EpochMetrics[];
  readonly pruned: boolean;
}

/** Everything `nas report` draws and lists. */
export interface ReportData {
  readonly name: string;
  readonly config: ExperimentConfig;
  readonly status: string;
  readonly objective: Objective;
  readonly trials: readonly Trial[];
  readonly points: readonly TrialPoint[];
  /** Best first by the primary objective. */
  readonly ranked: readonly Trial[];
  /** The top trials' curves, then the PRUNED trials' (`pruned`: drawn grey, ending at the epoch they were stopped at). */
  readonly curves: readonly TrialCurve[];
  /** Each listed trial's sample in its space's own text form (NB201's `|op~0|+…|`), by trial number. */
  readonly sampleText: Readonly<Record<number, string>>;
  /** The one-shot phase (DARTS) from the stored `oneshot-*` events; undefined when there was none. */
  readonly oneShot: OneShotReport | undefined;
  /** What `nas export` recorded (`export` events), newest first. */
  readonly exports: readonly ExportRecord[];
}

/** Reads experiment `name` of SQLite file `file` into {@link ReportData}. */
export async function loadReportData(file: string, name: string): Promise<ReportData> {
  return readStorage(file, async (storage) => {
    const { experiment, config, trials } = await loadExperiment(storage, file, name);
    const objective = primaryObjective(config);
    const ranked = rankTrials(trials, objective);
    const curves: TrialCurve[] = [];
    for (const t of ranked.slice(0, TOP_CURVES))
      curves.push({ number: t.number, epochs: await epochsOf(storage, t), pruned: false });
    for (const t of trials.filter((t) => t.state === 'PRUNED').slice(0, PRUNED_CURVES))
      curves.push({ number: t.number, epochs: await epochsOf(storage, t), pruned: true });
    const space = createSpace(config.space.name, config.space.options);
    const sampleText = Object.fromEntries(
      ranked.slice(0, 10).map((t) => [t.number, formatted(() => space.format(t.sample as never), t)]),
    );
    const oneShot = await loadOneShot(storage, experiment.id);
    const exports = await listExports(storage, experiment.id);
    return {
      name,
      config,
      status: experiment.status,
      objective,
      trials,
      points: trialPoints(trials),
      ranked,
      curves,
      sampleText,
      oneShot,
      exports,
    };
  });
}

/** The space's text of a sample, else its JSON. */
function formatted(format: () => string, trial: Trial): string {
  try {
    return format();
  } catch {
    return JSON.stringify(trial.sample);
  }
}

/** Accuracy and cost of every COMPLETE trial, with its Pareto membership (max accuracy, min cost). */
export function trialPoints(trials: readonly Trial[]): TrialPoint[] {
  const raw = trials.flatMap((t) => {
    const [accuracy, macs, params] = [metricOf(t, 'validationAccuracy'), metricOf(t, 'macs'), metricOf(t, 'params')];
    return accuracy === undefined || macs === undefined || params === undefined
      ? []
      : [{ number: t.number, accuracy, macs, params }];
  });
  return raw.map((p) => ({
    ...p,
    paretoMacs: !raw.some((q) => dominates(q, p, 'macs')),
    paretoParams: !raw.some((q) => dominates(q, p, 'params')),
  }));
}

/** `q` is at least as good as `p` in accuracy and cost, and better in one. */
function dominates(
  q: { accuracy: number; macs: number; params: number },
  p: { accuracy: number; macs: number; params: number },
  cost: 'macs' | 'params',
): boolean {
  return q.accuracy >= p.accuracy && q[cost] <= p[cost] && (q.accuracy > p.accuracy || q[cost] < p[cost]);
}

/** Best-so-far accuracy after each COMPLETE trial, in trial order. */
export function bestSoFar(points: readonly TrialPoint[]): { number: number; accuracy: number; best: number }[] {
  let best = Number.NEGATIVE_INFINITY;
  return [...points]
    .sort((a, b) => a.number - b.number)
    .map((p) => ({ number: p.number, accuracy: p.accuracy, best: (best = Math.max(best, p.accuracy)) }));
}
