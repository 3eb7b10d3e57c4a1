import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Json } from '../../src/core/arch.js';
import type { TrialProgress } from '../../src/core/events.js';
import { createSpace } from '../../src/space/spaces/index.js';
import type { ExperimentConfig } from '../../src/run/config.js';
import { outcomeToFinish } from '../../src/run/outcome.js';
import { trialPool } from '../../src/run/trial-pool.js';
import type { TrialTask } from '../../src/run/worker/trial-task.js';
import { trialModelDir } from '../../src/run/model-store.js';
import { QAT_RANGES_FILE, readQatRanges } from '../../src/eval/quantize/index.js';
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

const task = (number: number, sample: Json, overrides: Partial<ExperimentConfig> = {}): TrialTask => ({
  version: 1,
  trialId: number,
  number,
  sample,
  config: { ...config, ...overrides },
  seed: number,
});

describe('the trial pool (real worker threads in a child process, native backend, MNIST)', () => {
  it('trains a good trial, fails a diverging one and an invalid one with their reasons, all at once', async () => {
    const good = space.parse(
      '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|',
    );
    const progress: TrialProgress[] = [];
    const [ok, diverged, invalid] = await Promise.all([
      pool.run(task(0, good), { onProgress: (p) => progress.push(p) }),
      pool.run(
        task(1, good, {
          train: {
            epochs: 1,
            batchSize: 64,
            optimizer: { kind: 'sgd', momentum: 0.9 },
            schedule: { kind: 'constant', lr: 1e12 },
          },
        }),
      ),
      pool.run(task(2, { not: 'a sample' })),
    ]);
    expect(ok.ok).toBe(true);
    if (!ok.ok) throw new Error(`the good trial failed: ${ok.error.message}`);
    const outcome = ok.value;
    expect(outcome.metrics.validationAccuracy).toBeGreaterThan(0.3);
    expect(outcome.epochs).toHaveLength(1);
    expect(outcome.cost.params).toBeGreaterThan(0);
    expect(outcome.cost.measuredLatencyMs).toBeGreaterThan(0);
    expect(progress.some((p) => p.kind === 'epoch')).toBe(true);
    expect(outcomeToFinish(diverged)).toMatchObject({ state: 'FAILED', reason: 'diverged' });
    expect(outcomeToFinish(invalid)).toMatchObject({ state: 'FAILED', reason: 'invalid' });
  });

  it('records the full-integer accuracy after quantization-aware training and saves the learned ranges beside the model', async () => {
    const good = space.parse(
      '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|',
    );
    const result = await pool.run(
      task(3, good, { train: { epochs: 2, batchSize: 64, qat: { epochs: 1 } }, saveModels: true }),
    );
    if (!result.ok) throw new Error(`the QAT trial failed: ${result.error.message}`);
    const { metrics } = result.value;
    console.log(
      `QAT trial: validation accuracy ${metrics.validationAccuracy} (float), ${metrics.fullIntegerValidationAccuracy} (full integer, QAT ranges)`,
    );
    expect(metrics.fullIntegerValidationAccuracy).toBeGreaterThan(0.3);
    expect(
      Math.abs((metrics.fullIntegerValidationAccuracy as number) - (metrics.validationAccuracy as number)),
    ).toBeLessThanOrEqual(0.05);
    const dir = trialModelDir(config, 3);
    expect(existsSync(path.join(dir, QAT_RANGES_FILE))).toBe(true);
    expect((await readQatRanges(dir))?.size).toBeGreaterThan(3);
  });
});
