import type { Json } from './arch.js';
import type { EpochMetrics, Trial } from './trial.js';

/**
 * What a running search reports, for the reporters (dashboard, plain lines, JSON lines) and the
 * event log in storage. Plain data; `t` is the wall-clock time in ms.
 */
export type RunEvent =
  | { readonly type: 'experiment-started'; readonly t: number; readonly experiment: string; readonly resumed: boolean; readonly budget: { readonly trials: number; readonly seconds?: number }; readonly workers: number }
  | { readonly type: 'trial-started'; readonly t: number; readonly trial: Trial }
  | { readonly type: 'trial-progress'; readonly t: number; readonly trialId: number; readonly number: number; readonly progress: TrialProgress }
  | { readonly type: 'trial-finished'; readonly t: number; readonly trial: Trial }
  | { readonly type: 'strategy-done'; readonly t: number; readonly why: string }
  | { readonly type: 'stopping'; readonly t: number; readonly why: string }
  | { readonly type: 'experiment-finished'; readonly t: number; readonly experiment: string; readonly status: 'finished' | 'stopped'; readonly counts: Readonly<Record<string, number>> };

/** Progress of a running trial: an epoch finished, or how far the current epoch is. */
export type TrialProgress =
  | { readonly kind: 'epoch'; readonly metrics: EpochMetrics }
  | { readonly kind: 'batch'; readonly epoch: number; readonly fraction: number; readonly loss: number }
  | { readonly kind: 'note'; readonly text: string; readonly data?: Json };
