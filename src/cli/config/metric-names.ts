import type { EpochMetrics, TrialCost } from '../../core/trial.js';

/** Metrics every trained trial reports, and cost figures of every trial (a config's `objectives`). */
export const TRIAL_METRICS = [
  'validationAccuracy',
  'validationLoss',
  'trainAccuracy',
  'trainLoss',
  'testAccuracy',
] as const satisfies readonly (keyof EpochMetrics | 'testAccuracy')[];
export const COST_FIGURES = [
  'params',
  'macs',
  'trainMemoryBytes',
  'inferenceMemoryBytes',
  'estimatedLatencyMs',
  'measuredLatencyMs',
] as const satisfies readonly (keyof TrialCost)[];

/** Metrics of a trained trial and cost figures of its architecture, by name. */
export type MetricName = (typeof TRIAL_METRICS)[number] | (typeof COST_FIGURES)[number];
