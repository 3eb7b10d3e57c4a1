import path from 'node:path';
import type { TrialEngine } from '../../src/core/trial.js';
import { startSearch } from '../../src/run/search.js';
import type { TrialTaskOutcome } from '../../src/run/evaluator.js';
import { eventLog, fakeAccuracy, lookupEvaluator, testConfig } from '../run/helpers.js';
import { tempDir } from './helpers.js';

/** Why trial 5 of "alpha" trained eagerly. */
export const FALLBACK = 'no gradient rule for TensorFlow op Cumsum';

/** A trial outcome with a given accuracy and MACs (the other cost figures fixed), trained by `engine`. */
function outcome(accuracy: number, macs: number, engine: TrialEngine = { name: 'compiled' }): TrialTaskOutcome {
  const value = {
    metrics: { validationAccuracy: accuracy, validationLoss: 1 - accuracy },
    cost: {
      params: Math.round(macs / 10),
      paramsTotal: Math.round(macs / 10),
      macs,
      trainMemoryBytes: 1 << 20,
      inferenceMemoryBytes: 1 << 16,
      estimatedLatencyMs: macs / 1e6,
    },
    epochs: [],
    seconds: 1.5,
    engine,
  };
  return { ok: true, value };
}

/**
 * A SQLite file filled by real searches (the driver, strategies and storage; trials answered
 * in-process): "alpha", two objectives (accuracy up, MACs down), 8 trials of which trial 2
 * diverged and trial 5 trained eagerly ({@link FALLBACK}); "beta", one objective, 3 trials.
 */
export async function fixtureStorage(): Promise<string> {
  const storage = path.join(tempDir('nas-ls-'), 'nas.sqlite');
  const { emit } = eventLog();
  const alpha = testConfig({
    name: 'alpha',
    storage,
    budget: { trials: 8 },
    workers: 1,
    objectives: [
      { metric: 'validationAccuracy', direction: 'max' },
      { metric: 'macs', direction: 'min' },
    ],
  });
  await startSearch(alpha, {
    emit,
    evaluator: lookupEvaluator(1, (task) => {
      if (task.number === 2)
        return {
          ok: false,
          kind: 'error',
          error: {
            name: 'DivergedError',
            message: 'training diverged: the loss of step 3 (epoch 0) is NaN',
            reason: 'diverged',
          },
        };
      const accuracy = fakeAccuracy(JSON.stringify(task.sample));
      const engine: TrialEngine = task.number === 5 ? { name: 'eager', fallback: FALLBACK } : { name: 'compiled' };
      return outcome(accuracy, Math.round(1e6 * (1 + fakeAccuracy(`${task.number}`) * 9)), engine);
    }),
  });
  await startSearch(testConfig({ name: 'beta', storage, budget: { trials: 3 }, workers: 1 }), {
    emit,
    evaluator: lookupEvaluator(1, (task) => outcome(0.5 + task.number / 10, 2e6)),
  });
  return storage;
}
