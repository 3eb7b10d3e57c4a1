import type { ExperimentConfig } from '../../run/config.js';
import { clip } from './arch.js';
import type { TrialJson } from './experiment-json.js';
import { flagSummary } from './flag-summary.js';
import { metricText, metricTitle, NONE } from './metrics.js';
import type { ShowJson } from './show.js';
import { table } from './units.js';

/** The figures every trial table shows after the objectives and the sort metric. */
const STANDARD = ['validationAccuracy', 'params', 'macs'];

/** `nas show` as text: a summary of the config, the trials table, the Pareto front and the failures. */
export function showLines(show: ShowJson, shownPath: string, width = 120): string[] {
  const e = show.experiment;
  const lines = [`experiment ${e.name} (${e.status}) in ${shownPath}`, ...configLines(show.config)];
  const best =
    e.best === null
      ? 'none complete yet'
      : `#${e.best.trial}, ${metricTitle(e.best.metric)} ${metricText(e.best.metric, e.best.value)}`;
  const counts =
    Object.entries(e.trials)
      .filter(([, n]) => n > 0)
      .map(([state, n]) => `${n} ${state.toLowerCase()}`)
      .join(', ') || 'none';
  lines.push(`  trials ${e.progress.done}/${e.progress.total} (${counts}) · best ${best}`, '');
  const order =
    show.sort.by === 'number'
      ? 'by trial number'
      : `by ${show.sort.metric}, ${show.sort.direction === 'max' ? 'largest' : 'smallest'} first`;
  lines.push(`trials (${order}${show.sort.reverse ? ', reversed' : ''})`, ...trialTable(show, show.trials, width));
  if (show.pareto !== null) {
    const members = show.trials.filter((t) => show.pareto?.trials.includes(t.number));
    const what = show.pareto.objectives.map((o) => `${o.direction} ${o.metric}`).join(', ');
    lines.push(
      '',
      `Pareto front (${what}): ${members.length} trial${members.length === 1 ? '' : 's'}`,
      ...trialTable(show, members, width),
    );
  }
  const eager = show.trials.filter((t) => t.engine?.fallback !== undefined);
  if (eager.length > 0) {
    lines.push('', `trained on the eager engine instead of the compiled one (${eager.length})`);
    for (const t of eager) lines.push(`  #${t.number}: ${clip(t.engine?.fallback ?? '', width - 10)}`);
  }
  const reused = show.trials.filter((t) => t.state === 'COMPLETE' && t.message !== null);
  if (reused.length > 0) {
    lines.push('', `answered from earlier experiments, not trained (${reused.length}; warmStart 'reuse-results')`);
    for (const t of reused) lines.push(`  #${t.number}: ${clip(t.message ?? '', width - 10)}`);
  }
  const pruned = show.trials.filter((t) => t.state === 'PRUNED');
  if (pruned.length > 0) {
    lines.push('', `pruned (${pruned.length})`);
    for (const t of pruned) lines.push(`  #${t.number}: ${clip(t.message ?? '', width - 10)}`);
  }
  const lost = show.trials.filter((t) => t.lostAttempts.length > 0);
  if (lost.length > 0) {
    const count = lost.reduce((n, t) => n + t.lostAttempts.length, 0);
    lines.push('', `lost attempts (${count}): the worker was lost mid-trial, the trial ran again`);
    for (const t of lost)
      for (const a of t.lostAttempts)
        lines.push(`  #${t.number} worker-lost: ${a.worker ?? 'an unknown worker'} at ${a.at}`);
  }
  if (show.failures.length > 0) {
    lines.push('', `failures (${show.failures.length})`);
    for (const f of show.failures)
      lines.push(`  #${f.number} ${f.reason}: ${clip((f.message ?? '').split('\n')[0] ?? '', width - 12)}`);
  }
  return lines;
}

function configLines(c: ExperimentConfig): string[] {
  const options = (o: Readonly<Record<string, unknown>>) =>
    Object.keys(o).length === 0 ? '' : ` ${JSON.stringify(o)}`;
  const data = [
    `subset ${c.dataset.subset ?? 'all'}`,
    `validation ${c.dataset.validationFraction * 100}%`,
    ...(c.dataset.augment ? [`augment ${JSON.stringify(c.dataset.augment)}`] : []),
  ];
  const fidelity =
    c.train.steps !== undefined
      ? `${c.train.steps} steps`
      : `${c.train.epochs ?? 1} epoch${(c.train.epochs ?? 1) === 1 ? '' : 's'}`;
  const budget = `${c.budget.trials} trials${c.budget.seconds === undefined ? '' : ` or ${c.budget.seconds} s`}`;
  const limits = Object.entries(c.constraints ?? {}).map(([k, v]) => `${k} ${v}`);
  return [
    `  space ${c.space.name}${clip(options(c.space.options), 100)}`,
    `  strategy ${c.strategy.name}${options(c.strategy.options)}`,
    ...(c.pruner === undefined
      ? []
      : [
          `  pruner ${c.pruner.name}${options(c.pruner.options)}${c.pruner.reportEvery === undefined ? '' : `, a report every ${c.pruner.reportEvery} steps`}`,
        ]),
    c.benchmark === undefined
      ? `  data ${c.dataset.name} (${data.join(', ')})`
      : `  benchmark table ${c.benchmark.table} (column ${c.benchmark.metric})`,
    ...(c.benchmark === undefined
      ? [
          `  train ${fidelity}, batch ${c.train.batchSize ?? 128}, ${c.train.optimizer?.kind ?? 'sgd'}, ${c.train.schedule?.kind ?? 'cosine'}`,
        ]
      : []),
    `  objectives ${c.objectives.map((o) => `${o.direction} ${o.metric}`).join(', ')}${limits.length > 0 ? ` · constraints ${limits.join(', ')}` : ''}`,
    `  budget ${budget} · workers ${c.workers} · seed ${c.seed}`,
  ];
}

/** A trial's state cell: FAILED with its reason, PRUNED with the epoch it was stopped at (and the rung, for the rung pruners). */
function stateText(t: TrialJson): string {
  if (t.state === 'FAILED') return `FAILED ${t.reason ?? ''}`.trim();
  if (t.pruned === null) return t.state;
  const step = t.pruned.step === null ? '' : ` s${t.pruned.step}`;
  return `PRUNED @${t.pruned.epoch}${step}${t.pruned.rung === null ? '' : ` r${t.pruned.rung}`}`;
}

/**
 * A trial's fidelity cell: `3 ep`, `3 of 9 ep` for a run that stops at epoch 3 of a 9-epoch schedule,
 * `33% data`; `← #4` when it continued trial 4's training state.
 */
function fidelityText(t: TrialJson): string {
  const f = t.fidelity ?? {};
  const parts = [
    ...(f.epochs === undefined
      ? []
      : [f.scheduleEpochs === undefined ? `${f.epochs} ep` : `${f.epochs} of ${f.scheduleEpochs} ep`]),
    ...(f.dataFraction === undefined ? [] : [`${Math.round(f.dataFraction * 100)}% data`]),
    ...(t.continues === null ? [] : [`← #${t.continues}`]),
  ];
  return parts.join(' ') || NONE;
}

function trialTable(show: ShowJson, trials: readonly TrialJson[], width: number): string[] {
  if (trials.length === 0) return ['  (none)'];
  const sortMetric = show.sort.by === 'metric' ? [show.sort.metric] : [];
  const metrics = [...new Set([...show.config.objectives.map((o) => o.metric), ...sortMetric, ...STANDARD])];
  // With diagnostics on for some trial, a column of each trial's flags ("none": watched, nothing raised).
  const flagged = show.trials.some((t) => t.diagnostics !== null);
  const flags = (t: TrialJson) => (t.diagnostics === null ? '' : flagSummary(t.diagnostics.flags) || 'none');
  // With a strategy that varies the fidelity (successive halving), what each trial ran at.
  const varied = show.trials.some((t) => t.fidelity !== null);
  const header = [
    '#',
    'state',
    ...(varied ? ['fidelity'] : []),
    ...metrics.map(metricTitle),
    'time',
    ...(flagged ? ['flags'] : []),
    'architecture',
  ];
  const rows = trials.map((t) => [
    String(t.number),
    stateText(t),
    ...(varied ? [fidelityText(t)] : []),
    ...metrics.map((m) => metricText(m, t.metrics[m] ?? t.cost?.[m])),
    t.seconds === null ? NONE : `${t.seconds.toFixed(1)} s`,
    ...(flagged ? [flags(t)] : []),
    t.arch,
  ]);
  const first = varied ? 3 : 2; // the first metric's column
  const right = new Set(metrics.map((_, i) => i + first).concat([0, metrics.length + first]));
  return table([header, ...rows], right).map((l) => clip(`  ${l}`, width));
}
