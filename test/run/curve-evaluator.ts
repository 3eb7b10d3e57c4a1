import type { EpochMetrics } from '../../src/core/trial.js';
import type { Evaluator } from '../../src/run/evaluator.js';
import { completed, fakeAccuracy } from './helpers.js';

export const EPOCHS = 4;
/** A trial's validation accuracy at epoch e: a hash of its key and e, so rankings change between epochs. */
export const valueAt = (key: string, epoch: number) => fakeAccuracy(`${key}@${epoch}`);

/**
 * An in-process evaluator that trains like a worker does as far as the driver can see: it reports
 * EPOCHS epochs one after another and stops when its task is cancelled (the pool's cancellation).
 */
export function curveEvaluator(): Evaluator & { readonly sent: Map<number, number> } {
  const sent = new Map<number, number>();
  return {
    concurrency: 1,
    sent,
    run: async (task, options) => {
      const key = JSON.stringify(task.sample);
      for (let epoch = 1; epoch <= EPOCHS; epoch++) {
        await new Promise((r) => setTimeout(r, 0));
        if (options?.signal?.aborted === true)
          return { ok: false, kind: 'cancelled', error: { name: 'Cancelled', message: 'the task was cancelled' } };
        const metrics: EpochMetrics = {
          epoch,
          trainLoss: 1,
          trainAccuracy: 0.5,
          validationLoss: 1 - valueAt(key, epoch),
          validationAccuracy: valueAt(key, epoch),
          learningRate: 0.1,
          seconds: 0,
        };
        sent.set(task.number, epoch);
        options?.onProgress?.({ kind: 'epoch', metrics });
      }
      const done = completed(valueAt(key, EPOCHS));
      if (!done.ok) return done;
      return {
        ok: true,
        value: {
          ...done.value,
          epochs: Array.from({ length: EPOCHS }, (_, i) => ({
            epoch: i + 1,
            trainLoss: 1,
            trainAccuracy: 0.5,
            validationLoss: 1 - valueAt(key, i + 1),
            validationAccuracy: valueAt(key, i + 1),
            learningRate: 0.1,
            seconds: 0,
          })),
        },
      };
    },
    close: async () => undefined,
  };
}
