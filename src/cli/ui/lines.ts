import type { OneShotEpoch, OneShotStart, PrunedAt } from '../../core/events.js';
import type { EpochMetrics, Trial } from '../../core/trial.js';
import { flagKinds, trialDiagnostics, type DiagnosticEpoch } from '../../core/trial-diagnostics.js';
import type { Objective } from '../../run/config.js';
import { prunedAtOf } from '../../run/trial-pruner.js';
import { trialColumns, type Describe } from './columns.js';
import { duration, flagMarker, metric, title } from './format.js';
import { fidelityText, type Rungs } from './rungs.js';

/**
 * A finished trial in one line: its figures and architecture, where it was pruned, or why it
 * failed; a trial of a successive-halving run also its rung (`rungs`, else its fidelity).
 */
export function finishedText(
  trial: Trial,
  objectives: readonly Objective[],
  describe: Describe,
  rungs?: Rungs,
): string {
  const time = `in ${duration((trial.finishedAt ?? trial.startedAt) - trial.startedAt)}`;
  const lead = [`#${trial.number}`, trial.state, time, fidelityText(trial, rungs) ?? ''];
  const flags = flagMarker(flagKinds(trialDiagnostics(trial)?.flags ?? []));
  if (trial.state === 'COMPLETE') {
    const figures = trialColumns(objectives).map((c) => `${c.title} ${c.cell(trial)}`);
    return [...lead, flags, ...figures, describe(trial.sample)].filter((s) => s !== '').join('  ');
  }
  const pruned = prunedAtOf(trial);
  const why =
    pruned === undefined
      ? [trial.reason, trial.message?.split('\n')[0]].filter((s) => s !== undefined).join(': ')
      : prunedText(pruned);
  return [...lead, flags, why].filter((s) => s !== '').join('  ');
}

/** Where a trial was pruned: "pruned at epoch 2 (rung 1) val acc 81.20%", "pruned at epoch 2 (step 40) …" with step reports. */
export function prunedText(at: Omit<PrunedAt, 'why'>): string {
  const rung = at.rung === undefined ? '' : ` (rung ${at.rung})`;
  const step = at.trainingStep === undefined ? '' : ` (step ${at.trainingStep})`;
  return `pruned at epoch ${at.step}${step}${rung} ${title(at.metric)} ${metric(at.metric, at.value)}`;
}

/** A trial's finished epoch in one line: "#3 epoch 2/5  train loss …  val loss …  val acc …". */
export function epochText(number: number, m: EpochMetrics, epochs: number | undefined): string {
  const of = epochs === undefined ? '' : `/${epochs}`;
  return [
    `#${number} epoch ${m.epoch}${of}`,
    `train loss ${metric('trainLoss', m.trainLoss)}`,
    `val loss ${metric('validationLoss', m.validationLoss)}`,
    `val acc ${metric('validationAccuracy', m.validationAccuracy)}`,
  ].join('  ');
}

/**
 * The flags an epoch's diagnostics raised in one line: "#3 epoch 2 ⚑ vanishing conv1 (step 40), dead-relu
 * relu1 (step 40)"; undefined when it raised none.
 */
export function flagsText(number: number, record: DiagnosticEpoch): string | undefined {
  if (record.flags.length === 0) return undefined;
  const flags = record.flags.map(
    (f) => `${[f.kind, f.layer].filter((s) => s !== undefined).join(' ')} (step ${f.step})`,
  );
  return `#${number} epoch ${record.epoch} ⚑ ${flags.join(', ')}`;
}

/** The one-shot phase starting (or resuming) in one line: strategy, order, epochs, cells, edges, memory estimate. */
export function oneShotStartText(s: OneShotStart): string {
  const edges = s.cells.reduce((n, c) => n + c.edges.length, 0);
  const from = s.startEpoch > 1 ? `resumed at epoch ${s.startEpoch}/${s.epochs}` : `started: ${s.epochs} epochs`;
  const cells = `${s.cells.length} cell${s.cells.length === 1 ? '' : 's'}`;
  return `one-shot ${s.strategy} (${s.order} order) ${from}, ${cells}, ${edges} edges, supernet ~${metric('estimatedMemoryBytes', s.estimatedMemoryBytes)}`;
}

/** A finished supernet epoch in one line: "one-shot epoch 3/10  train loss …  alpha loss …  val acc …  12s  derived …". */
export function oneShotEpochText(e: OneShotEpoch): string {
  return [
    `one-shot epoch ${e.epoch}/${e.epochs}`,
    `train loss ${metric('trainLoss', e.trainLoss)}`,
    `alpha loss ${metric('alphaLoss', e.alphaLoss)}`,
    `val acc ${metric('validationAccuracy', e.validationAccuracy)}`,
    duration(e.seconds * 1000),
    `derived ${e.derivedText}`,
  ].join('  ');
}
