import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/core/events.js';
import { startSearch } from '../../src/run/search.js';
import { prunedMessage } from '../../src/run/trial-pruner.js';
import { curveEvaluator, EPOCHS } from './curve-evaluator.js';
import { eventLog, testConfig } from './helpers.js';

type Progress = Extract<RunEvent, { type: 'trial-progress' }>;

describe("the driver's trial-progress event of a pruned epoch (in-process curves, real SQLite file)", () => {
  it('carries where the pruner stopped the trial, exactly what its record says, and is its last progress', async () => {
    const c = testConfig({
      name: 'pruned-event',
      pruner: { name: 'successive-halving', options: { minResource: 1, reductionFactor: 2, minEarlyStoppingRate: 0 } },
      budget: { trials: 10 },
      workers: 1,
      train: { epochs: EPOCHS, batchSize: 32 },
    });
    const log = eventLog();
    expect(await startSearch(c, { emit: log.emit, evaluator: curveEvaluator() })).toBe('finished');
    const finished = log.events.flatMap((e) => (e.type === 'trial-finished' ? [e.trial] : []));
    const progress = log.events.filter((e): e is Progress => e.type === 'trial-progress');
    const prunedTrials = finished.filter((t) => t.state === 'PRUNED');
    expect(prunedTrials.length).toBeGreaterThan(0);
    expect(finished.length - prunedTrials.length).toBeGreaterThan(0);
    for (const trial of finished) {
      const own = progress.filter((e) => e.trialId === trial.id);
      const marked = own.filter((e) => e.pruned !== undefined);
      if (trial.state !== 'PRUNED') {
        expect(marked, `trial ${trial.number}`).toEqual([]);
        continue;
      }
      expect(marked, `trial ${trial.number}`).toHaveLength(1);
      const [event] = marked as [Progress];
      expect(own.at(-1)).toBe(event);
      expect(event.progress.kind).toBe('epoch');
      const at = event.pruned as NonNullable<Progress['pruned']>;
      expect(event.progress.kind === 'epoch' && event.progress.metrics.epoch).toBe(at.step);
      expect(at.rung).toBeTypeOf('number');
      expect(prunedMessage(at)).toBe(trial.message);
    }
  });
});
