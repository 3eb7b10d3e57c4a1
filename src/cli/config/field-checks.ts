import { TrainConfigError, resolveTrainConfig } from '../../eval/train/index.js';
import type { CheckedConfig } from './schema.js';
import { COST_FIGURES, TRIAL_METRICS } from './metric-names.js';
import { shown, splitProblem, type Problem } from './problems.js';

/** The training section's ranges and cross-field rules, from the trainer's own check (resolveTrainConfig), under `train.`. */
export function trainProblems(train: unknown): Problem[] {
  if (train !== undefined && (typeof train !== 'object' || train === null)) return [];
  try {
    resolveTrainConfig({ ...(train ?? {}), seed: 0 } as never);
    return [];
  } catch (error) {
    if (error instanceof TrainConfigError) return error.problems.map((p) => splitProblem(p, 'train'));
    return []; // a value of the wrong type makes the trainer's check throw; the schema reported it already
  }
}

/** Objectives must name a metric the trials report, each once; some need a setting that produces them. */
export function objectiveProblems(config: Partial<CheckedConfig>): Problem[] {
  const table = config.benchmark?.metric;
  const known: readonly string[] =
    table === undefined
      ? [...TRIAL_METRICS, ...COST_FIGURES]
      : [table, ...COST_FIGURES.filter((c) => c !== 'measuredLatencyMs')];
  const metrics = (config.objectives ?? []).map((o) => o.metric);
  return metrics.flatMap((metric, i): Problem[] => {
    const path = `objectives[${i}].metric`;
    if (!known.includes(metric))
      return [{ path, message: `expected one of ${known.join(', ')}, got ${shown(metric)}` }];
    if (metrics.indexOf(metric) !== i)
      return [{ path, message: `expected each metric once, got ${shown(metric)} again` }];
    if (metric === 'testAccuracy' && config.train?.test !== true)
      return [{ path, message: 'needs train.test: true (the test part is evaluated only then), got "testAccuracy"' }];
    if (metric === 'measuredLatencyMs' && config.measureLatency === false)
      return [{ path, message: 'needs measureLatency: true, got "measuredLatencyMs"' }];
    return [];
  });
}

/**
 * Rules between sections: a subset too small to train on after the validation split; QAT epochs more
 * than the lowest rung of successive halving on epochs trains (its trials' epochs vary by rung).
 */
export function crossProblems(config: Partial<CheckedConfig>): Problem[] {
  const problems: Problem[] = [...qatHalvingProblems(config)];
  if (config.dataset === undefined) return problems;
  const batch = config.train?.batchSize ?? 128;
  const subset = config.dataset.subset;
  const validation = config.dataset.validationFraction ?? 0.1;
  if (subset !== undefined && config.benchmark === undefined && Math.floor(subset * (1 - validation)) < 1) {
    problems.push({
      path: 'dataset.subset',
      message: `expected enough images for at least one training image after the validation split, got ${subset}`,
    });
  } else if (subset !== undefined && config.train?.dropLast === true && Math.floor(subset * (1 - validation)) < batch) {
    problems.push({
      path: 'dataset.subset',
      message: `with train.dropLast every batch is dropped: expected ≥ ${Math.ceil(batch / (1 - validation))} images, got ${subset}`,
    });
  }
  return problems;
}

function qatHalvingProblems(config: Partial<CheckedConfig>): Problem[] {
  const qatEpochs = config.train?.qat?.epochs;
  const halving = config.strategy?.halving as { fidelity?: unknown; min?: unknown } | undefined;
  if (qatEpochs === undefined || halving === undefined || halving.fidelity === 'dataFraction') return [];
  const lowest = Math.max(1, Math.round(typeof halving.min === 'number' ? halving.min : 1));
  if (qatEpochs <= lowest) return [];
  return [
    {
      path: 'train.qat.epochs',
      message: `expected at most ${lowest}, the epochs of strategy.halving's lowest rung (or qat.fraction, which scales with a trial's epochs), got ${qatEpochs}`,
    },
  ];
}
