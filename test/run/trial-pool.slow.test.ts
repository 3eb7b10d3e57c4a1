import { afterAll, describe, expect, it } from 'vitest';
import type { Json } from '../../src/core/arch.js';
import type { TrialOutcome } from '../../src/core/trial.js';
import { createSpace } from '../../src/space/spaces/index.js';
import type { ExperimentConfig } from '../../src/run/config.js';
import { outcomeToFinish } from '../../src/run/outcome.js';
import { trialPool } from '../../src/run/search.js';
import type { TrialTask } from '../../src/run/trial-task.js';
import { testConfig } from './helpers.js';

const config: ExperimentConfig = testConfig({
  dataset: { name: 'mnist', options: {}, validationFraction: 0.1, subset: 1000 },
  space: { name: 'nb201', options: { cells: 1, channels: 8 } },
  train: { epochs: 1, batchSize: 64 },
  measureLatency: true,
});
const space = createSpace('nb201', { cells: 1, channels: 8 });
const pool = trialPool(config);
afterAll(() => pool.close());

const task = (number: number, sample: Json, overrides: Partial<ExperimentConfig> = {}): Json =>
  ({ version: 1, trialId: number, number, sample, config: { ...config, ...overrides }, seed: number } satisfies TrialTask) as unknown as Json;

describe('the trial pool (real worker threads in a child process, native backend, MNIST)', () => {
  it('trains a good trial, fails a diverging one and an invalid one with their reasons, all at once', async () => {
    const good = space.parse('|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|');
    const progress: Json[] = [];
    const [ok, diverged, invalid] = await Promise.all([
      pool.run(task(0, good), { onProgress: (p) => progress.push(p) }),
      pool.run(task(1, good, { train: { epochs: 1, batchSize: 64, optimizer: { kind: 'sgd', momentum: 0.9 }, schedule: { kind: 'constant', lr: 1e12 } } })),
      pool.run(task(2, { not: 'a sample' })),
    ]);
    expect(ok.ok).toBe(true);
    const outcome = (ok as { value: unknown }).value as TrialOutcome;
    expect(outcome.metrics.validationAccuracy).toBeGreaterThan(0.3);
    expect(outcome.epochs).toHaveLength(1);
    expect(outcome.cost.params).toBeGreaterThan(0);
    expect(outcome.cost.measuredLatencyMs).toBeGreaterThan(0);
    expect(progress.some((p) => (p as { kind: string }).kind === 'epoch')).toBe(true);
    expect(outcomeToFinish(diverged)).toMatchObject({ state: 'FAILED', reason: 'diverged' });
    expect(outcomeToFinish(invalid)).toMatchObject({ state: 'FAILED', reason: 'invalid' });
  });
});
