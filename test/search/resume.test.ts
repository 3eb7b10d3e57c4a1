import { describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import { resumeSearch, startSearch } from '../../src/run/search.js';
import { STRATEGIES } from '../../src/search/registry.js';
import { createSpace } from '../../src/space/spaces/index.js';
import { completed, fakeAccuracy, lookupEvaluator, testConfig } from '../run/helpers.js';

const space = createSpace('nb201');
const evaluator = () => lookupEvaluator(1, (task) => completed(fakeAccuracy(space.key(task.sample as never))));
const OPTIONS: Record<string, Record<string, unknown>> = {
  'regularized-evolution': { populationSize: 5, sampleSize: 3 },
  'local-search': { initialSamples: 3 },
  tpe: { startupTrials: 4 },
  reinforce: { batchSize: 2 },
};

async function keys(db: string): Promise<string[]> {
  const storage = await openSqliteStorage(db);
  try {
    return (await storage.listTrials((await storage.getExperiment('exp'))?.id ?? -1)).map((t) => t.key);
  } finally {
    await storage.close();
  }
}

describe('a search stopped and resumed through the driver proposes what an uninterrupted one does', () => {
  for (const { name } of STRATEGIES) {
    it(name, async () => {
      const config = () =>
        testConfig({ strategy: { name, options: (OPTIONS[name] ?? {}) as never }, budget: { trials: 18 }, workers: 1 });
      const whole = config();
      await startSearch(whole, { emit: () => undefined, evaluator: evaluator() });
      const parted = config();
      let stop: (why: string) => void = () => undefined;
      const emit = (e: { type: string; trial?: { number: number } }) => {
        if (e.type === 'trial-finished' && e.trial?.number === 8) stop('test');
      };
      expect(
        await startSearch(parted, { emit: emit as never, evaluator: evaluator(), stop: { onStop: (l) => (stop = l) } }),
      ).toBe('stopped');
      expect((await keys(parted.storage)).length).toBeLessThan(18);
      expect(await resumeSearch(parted.storage, 'exp', { emit: () => undefined, evaluator: evaluator() })).toBe(
        'finished',
      );
      expect(await keys(parted.storage)).toEqual(await keys(whole.storage));
    });
  }
});
