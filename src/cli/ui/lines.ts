import type { EpochMetrics, Trial } from '../../core/trial.js';
import type { Objective } from '../../run/config.js';
import { trialColumns, type Describe } from './columns.js';
import { duration, metric } from './format.js';

/** A finished trial in one line: its figures and architecture, or why it failed. */
export function finishedText(trial: Trial, objectives: readonly Objective[], describe: Describe): string {
  const time = `in ${duration((trial.finishedAt ?? trial.startedAt) - trial.startedAt)}`;
  if (trial.state === 'COMPLETE') {
    const figures = trialColumns(objectives).map((c) => `${c.title} ${c.cell(trial)}`);
    return [`#${trial.number}`, 'COMPLETE', time, ...figures, describe(trial.sample)].join('  ');
  }
  const why = [trial.reason, trial.message?.split('\n')[0]].filter((s) => s !== undefined).join(': ');
  return [`#${trial.number}`, trial.state, time, why].filter((s) => s !== '').join('  ');
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
