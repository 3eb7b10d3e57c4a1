import type { Json } from '../../src/core/arch.js';
import type { RunEvent } from '../../src/core/events.js';
import { Rng } from '../../src/core/rng.js';
import type { EpochMetrics, Trial, TrialOutcome } from '../../src/core/trial.js';
import { estimateCost } from '../../src/space/cost/index.js';
import type { SearchSpace } from '../../src/space/search-space.js';

/** What a synthetic run looks like: its size, pace and seed. */
export interface DemoOptions {
  readonly experiment: string;
  readonly space: SearchSpace;
  readonly seed: number;
  readonly trials: number;
  readonly workers: number;
  readonly epochs: number;
  /** Mean length of one epoch, ms. */
  readonly epochMs: number;
  /** Batch progress every this many ms. */
  readonly tickMs: number;
}

/** One event of the script, `at` ms after the start; `trial` is the trial number it belongs to. */
export interface Scheduled {
  readonly at: number;
  readonly trial?: number;
  readonly event: RunEvent;
}

/** The quality of an NB201-like sample: convolutions help, "none" edges hurt (for a plausible demo only). */
function quality(sample: Json): number {
  const text = JSON.stringify(sample);
  const count = (op: string) => text.split(op).length - 1;
  return 0.04 * count('nor_conv_3x3') + 0.02 * count('nor_conv_1x1') - 0.03 * count('none');
}

/**
 * A seeded script of a whole search as the driver would report it: trials on `workers` lanes, batch
 * progress, epochs, a few failures (diverged, out of memory), the experiment's start and end. Times
 * are relative to the start (0); {@link ./player.ts} shifts them to the wall clock.
 */
export function demoSchedule(o: DemoOptions): Scheduled[] {
  const rng = new Rng(o.seed);
  const out: Scheduled[] = [
    {
      at: 0,
      event: {
        type: 'experiment-started',
        t: 0,
        experiment: o.experiment,
        resumed: false,
        budget: { trials: o.trials },
        workers: o.workers,
      },
    },
  ];
  const free = Array.from({ length: o.workers }, () => 0);
  const counts: Record<string, number> = {};
  for (let number = 0; number < o.trials; number++) {
    const lane = free.indexOf(Math.min(...free));
    const start = (free[lane] ?? 0) + 50;
    const events = trialScript(o, rng.derive(`trial-${number}`), number, start);
    out.push(...events);
    const last = events[events.length - 1];
    free[lane] = last?.at ?? start;
    if (last?.event.type === 'trial-finished')
      counts[last.event.trial.state] = (counts[last.event.trial.state] ?? 0) + 1;
  }
  const end = Math.max(...free) + 50;
  out.push({
    at: end,
    event: { type: 'experiment-finished', t: end, experiment: o.experiment, status: 'finished', counts },
  });
  return out.sort((a, b) => a.at - b.at);
}

function trialScript(o: DemoOptions, rng: Rng, number: number, start: number): Scheduled[] {
  const sample = o.space.sample(rng);
  const report = estimateCost(o.space.freeze(sample), { batch: 128, inputShape: [32, 32, 3], classes: 10 });
  const trial: Trial = { id: number + 1, number, sample, key: o.space.key(sample), state: 'RUNNING', startedAt: start };
  const out: Scheduled[] = [{ at: start, trial: number, event: { type: 'trial-started', t: start, trial } }];
  const final = Math.min(0.94, Math.max(0.2, 0.62 + quality(sample) + 0.03 * rng.normal()));
  const failAt = rng.next() < 0.1 ? 1 + rng.int(o.epochs) : undefined;
  const epochMs = Math.round(o.epochMs * (0.5 + Math.min(1.5, report.macs / 1.5e8)) * (0.8 + 0.4 * rng.next()));
  const epochs: EpochMetrics[] = [];
  let at = start;
  const progress = (p: RunEvent & { type: 'trial-progress' }) => out.push({ at: p.t, trial: number, event: p });
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const accuracy = final * (1 - 0.45 * Math.exp(-epoch / 1.2)) + 0.01 * rng.normal();
    const loss = 2.3 * Math.exp(-epoch * accuracy);
    for (let t = o.tickMs; t < epochMs; t += o.tickMs) {
      progress({
        type: 'trial-progress',
        t: at + t,
        trialId: trial.id,
        number,
        progress: { kind: 'batch', epoch, fraction: t / epochMs, loss: loss * (1.2 - 0.2 * (t / epochMs)) },
      });
      if (failAt === epoch && t / epochMs > 0.5)
        return [
          ...out,
          finished(
            trial,
            at + t,
            'diverged',
            `DivergedError: loss NaN at step ${Math.round((epoch - 1 + t / epochMs) * 390)}`,
          ),
        ];
    }
    at += epochMs;
    const metrics: EpochMetrics = {
      epoch,
      trainLoss: loss,
      trainAccuracy: accuracy + 0.03,
      validationLoss: loss * 1.1,
      validationAccuracy: accuracy,
      learningRate: 0.025,
      seconds: epochMs / 1000,
    };
    epochs.push(metrics);
    progress({ type: 'trial-progress', t: at, trialId: trial.id, number, progress: { kind: 'epoch', metrics } });
  }
  const last = epochs[epochs.length - 1];
  const outcome: TrialOutcome = {
    metrics: {
      validationAccuracy: last?.validationAccuracy ?? Number.NaN,
      validationLoss: last?.validationLoss ?? Number.NaN,
      trainLoss: last?.trainLoss ?? Number.NaN,
    },
    cost: {
      params: report.params.trainable,
      paramsTotal: report.params.total,
      macs: report.macs,
      trainMemoryBytes: report.memory.trainTotal,
      inferenceMemoryBytes: report.memory.inferenceActivations,
      estimatedLatencyMs: report.latency.estimatedMs,
    },
    epochs,
    seconds: (at - start) / 1000,
  };
  const done = at + 100;
  return [
    ...out,
    {
      at: done,
      trial: number,
      event: { type: 'trial-finished', t: done, trial: { ...trial, state: 'COMPLETE', outcome, finishedAt: done } },
    },
  ];
}

function finished(trial: Trial, at: number, reason: 'diverged', message: string): Scheduled {
  return {
    at,
    trial: trial.number,
    event: { type: 'trial-finished', t: at, trial: { ...trial, state: 'FAILED', reason, message, finishedAt: at } },
  };
}
