import { metricOf } from '../../search/objective.js';
import type { Trial } from '../../core/trial.js';
import { bytes, si } from './units.js';

/** Shown for a figure that is missing or not finite. */
export const NONE = '—';

/** A COMPLETE trial's value of a metric or cost figure (metrics first, then cost); undefined otherwise. */
export function valueOf(trial: Trial, metric: string): number | undefined {
  return metricOf(trial, metric);
}

/** A metric or cost figure in its usual unit: accuracies in %, counts in K/M/G, bytes, ms, losses to 4 places. */
export function metricText(name: string, value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return NONE;
  if (/^(params|paramsTotal|macs)$/.test(name)) return si(value, 2);
  if (/accuracy/i.test(name)) return `${(value * 100).toFixed(2)}%`;
  if (/Bytes$/.test(name)) return bytes(value);
  if (/Ms$/.test(name)) return `${value.toFixed(2)} ms`;
  if (/loss/i.test(name)) return value.toFixed(4);
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}

/** Short column titles of the usual figures; other names as they are. */
const TITLES: Readonly<Record<string, string>> = {
  validationAccuracy: 'val acc',
  validationLoss: 'val loss',
  trainAccuracy: 'train acc',
  trainLoss: 'train loss',
  testAccuracy: 'test acc',
  params: 'params',
  macs: 'MACs',
  estimatedLatencyMs: 'est. latency',
  measuredLatencyMs: 'latency',
  trainMemoryBytes: 'train mem',
  inferenceMemoryBytes: 'infer mem',
};

/** The short title of a metric ("val acc" for validationAccuracy). */
export function metricTitle(name: string): string {
  return TITLES[name] ?? name;
}

/** Whether smaller is better for a metric that is not an objective (losses, sizes, costs, latency). */
export function smallerIsBetter(name: string): boolean {
  return /loss|^params|^macs|Bytes$|Ms$|seconds/i.test(name);
}
