import type { Storage } from '../../../src/backend/storage/index.js';
import { epoch, outcome, sample } from './values.js';

// A small search written into a storage, and everything a storage holds, to compare two storages.

/** Writes the same small search into `storage`: 2 experiments, trials in every state, a snapshot, events. */
export async function fill(storage: Storage): Promise<void> {
  const a = await storage.createExperiment({ name: 'a', config: { space: 'macro', lr: Number.NaN }, seed: 3 });
  await storage.createExperiment({ name: 'b', config: [], seed: -5 });
  for (let n = 0; n < 4; n++) {
    const t = await storage.createTrial(a.id, { number: n, sample: sample(n), key: `k${n}`, worker: `w${n % 2}` });
    await storage.addEpoch(t.id, epoch(0, { validationLoss: Infinity }));
    if (n === 0) await storage.finishTrial(t.id, { state: 'COMPLETE', outcome: outcome(2, { loss: Number.NaN }) });
    if (n === 1) await storage.finishTrial(t.id, { state: 'FAILED', reason: 'diverged', message: 'NaN loss' });
    if (n === 2) await storage.finishTrial(t.id, { state: 'PRUNED' });
  }
  await storage.saveStrategyState(a.id, 2, { rng: [1, 2, 3] });
  await storage.appendEvent(a.id, { type: 'trial-finished', payload: { number: 0 } });
}

/** Everything a storage holds, as plain data. */
export async function dump(storage: Storage): Promise<unknown> {
  const experiments = await storage.listExperiments();
  const per = await Promise.all(
    experiments.map(async (e) => {
      const trials = await storage.listTrials(e.id);
      const epochs = await Promise.all(trials.map((t) => storage.listEpochs(t.id)));
      return { trials, epochs, state: await storage.latestStrategyState(e.id), events: await storage.listEvents(e.id) };
    }),
  );
  return { experiments, per };
}
