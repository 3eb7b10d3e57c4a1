import { expect, it } from 'vitest';
import type { UserError } from '../../../src/core/errors.js';
import { StorageError, openStorage, type Storage } from '../../../src/backend/storage/index.js';
import { isDiskRefusal, searchStoppedBy } from '../../../src/backend/storage/disk-refusal.js';
import { rejection } from './contract.js';
import { CuttingProxy } from './cutting-proxy.js';
import { describePostgres } from './postgres-describe.js';
import { epoch, outcome, sample } from './values.js';

/** A short retry policy: 5 tries over 0.35 s of waits. */
const BRIEF = { attempts: 5, firstDelayMs: 50, maxDelayMs: 100 };

/** One trial as the driver writes it: created, three epochs, an event, finished with a 3-epoch outcome. */
async function writeTrial(storage: Storage, experimentId: number, n: number): Promise<void> {
  const t = await storage.createTrial(experimentId, { number: n, sample: sample(n), key: `k${n}` });
  for (let e = 0; e < 3; e++) await storage.addEpoch(t.id, epoch(e, { seconds: 99 }));
  await storage.appendEvent(experimentId, { type: 'trial-done', payload: { number: n } });
  await storage.finishTrial(t.id, { state: 'COMPLETE', outcome: outcome(3, { loss: Number.NaN }) });
}

/** Checks that the experiment holds exactly trials 0..n-1, each COMPLETE with its whole outcome, and one event per trial. */
async function expectWhole(storage: Storage, experimentId: number, n: number): Promise<void> {
  const trials = await storage.listTrials(experimentId);
  expect(trials.map((t) => [t.number, t.state])).toEqual(Array.from({ length: n }, (_, i) => [i, 'COMPLETE']));
  for (const t of trials) expect(t.outcome).toStrictEqual(outcome(3, { loss: Number.NaN }));
  const events = await storage.listEvents(experimentId);
  expect(events.map((e) => e.payload)).toEqual(Array.from({ length: n }, (_, i) => ({ number: i })));
}

describePostgres('PostgreSQL restarted, connections cut', (server) => {
  const backends = async () =>
    (await server().sql<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = 'nas'")).map(
      (r) => r.pid,
    );

  it('rides out a server restart in the middle of a sequence of calls: every call succeeds once, nothing is lost or doubled', async () => {
    const storage = await openStorage(await server().createDatabase());
    const experiment = await storage.createExperiment({ name: 'restarted', config: {}, seed: 1 });
    await writeTrial(storage, experiment.id, 0);
    const before = await backends();
    let restarted = false;
    const restart = server()
      .restart()
      .then(() => (restarted = true));
    let n = 1;
    for (let after = 0; after < 5; n++) {
      await writeTrial(storage, experiment.id, n);
      if (restarted) after++;
    }
    await restart;
    await expectWhole(storage, experiment.id, n);
    expect(await backends()).not.toEqual(before);
    await storage.close();
  });

  it('runs a transaction again whose COMMIT never reached the server: it is recorded once', async () => {
    const proxy = await CuttingProxy.start(server().port);
    const url = (await server().createDatabase()).replace(`:${server().port}/`, `:${proxy.port}/`);
    const storage = await openStorage(url);
    try {
      const experiment = await storage.createExperiment({ name: 'cut-before', config: {}, seed: 1 });
      const t = await storage.createTrial(experiment.id, { number: 0, sample: sample(0), key: 'k0' });
      await storage.addEpoch(t.id, epoch(0));
      proxy.cutNextCommit('before');
      const event = await storage.appendEvent(experiment.id, { type: 'trial-done', payload: { number: 0 } });
      proxy.cutNextCommit('before');
      await storage.finishTrial(t.id, { state: 'COMPLETE', outcome: outcome(3, { loss: Number.NaN }) });
      expect(proxy.cutCount).toBe(2);
      expect(await storage.listEvents(experiment.id)).toStrictEqual([event]);
      await expectWhole(storage, experiment.id, 1);
    } finally {
      await storage.close();
      await proxy.close();
    }
  });

  it('does not run again a transaction that committed though its answer was lost: the server says it committed', async () => {
    const proxy = await CuttingProxy.start(server().port);
    const url = (await server().createDatabase()).replace(`:${server().port}/`, `:${proxy.port}/`);
    const storage = await openStorage(url);
    try {
      const experiment = await storage.createExperiment({ name: 'cut-after', config: {}, seed: 1 });
      proxy.cutNextCommit('after');
      const t = await storage.createTrial(experiment.id, { number: 0, sample: sample(0), key: 'k0' });
      for (let e = 0; e < 3; e++) await storage.addEpoch(t.id, epoch(e, { seconds: 99 }));
      proxy.cutNextCommit('after');
      const event = await storage.appendEvent(experiment.id, { type: 'trial-done', payload: { number: 0 } });
      proxy.cutNextCommit('after');
      const finished = await storage.finishTrial(t.id, {
        state: 'COMPLETE',
        outcome: outcome(3, { loss: Number.NaN }),
      });
      expect(proxy.cutCount).toBe(3);
      expect(await storage.listEvents(experiment.id)).toStrictEqual([event]);
      expect(await storage.getTrial(t.id)).toStrictEqual(finished);
      await expectWhole(storage, experiment.id, 1);
    } finally {
      await storage.close();
      await proxy.close();
    }
  });

  it('replaces a connection the server ended while it was idle', async () => {
    const storage = await openStorage(await server().createDatabase());
    const experiment = await storage.createExperiment({ name: 'terminated', config: {}, seed: 1 });
    await server().sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'nas'");
    await writeTrial(storage, experiment.id, 0);
    await expectWhole(storage, experiment.id, 1);
    await storage.close();
  });

  it('refuses writes to a database set read-only with READ_ONLY, naming it (a search stops on it)', async () => {
    const url = await server().createDatabase();
    await (await openStorage(url)).close();
    await server().sql(`ALTER DATABASE ${new URL(url).pathname.slice(1)} SET default_transaction_read_only = on`);
    const storage = await openStorage(url);
    const error = await rejection(
      storage.createExperiment({ name: 'refused', config: {}, seed: 1 }),
      StorageError,
      'READ_ONLY',
    );
    expect(error.message).toBe(`cannot write ${url}: read-only (25006)`);
    expect((error as UserError).hint).toContain('the primary server, not a standby');
    expect(isDiskRefusal(error)).toBe(true);
    expect(await storage.listExperiments()).toStrictEqual([]);
    await storage.close();
  });

  it('fails a call with STORAGE_UNREACHABLE once the server stayed down through its retries, having written nothing; works again once it is back', async () => {
    const storage = await openStorage(await server().createDatabase(), { retry: BRIEF });
    const experiment = await storage.createExperiment({ name: 'down', config: {}, seed: 1 });
    const t = await storage.createTrial(experiment.id, { number: 0, sample: sample(0), key: 'k0' });
    await storage.addEpoch(t.id, epoch(0));
    await server().stop();
    try {
      const error = await rejection(
        storage.finishTrial(t.id, { state: 'COMPLETE', outcome: outcome(3) }),
        StorageError,
        'STORAGE_UNREACHABLE',
      );
      expect(error.message).toMatch(
        new RegExp(
          `^cannot reach PostgreSQL at 127\\.0\\.0\\.1:${server().port} \\(ECONNREFUSED; 5 tries over 0\\.[0-9] s\\)$`,
        ),
      );
      expect((error as UserError).hint).toBe('start the PostgreSQL server, or restore the network to it');
      expect(isDiskRefusal(error)).toBe(true);
      const stopped = searchStoppedBy(error as never, 'down');
      expect(stopped.message).toBe(`${error.message}; the search stopped, and every trial recorded before is kept`);
      expect(stopped.hint).toBe(
        'start the PostgreSQL server, or restore the network to it, then continue with `nas resume down`',
      );
      // While it stays down, later calls try once (the count goes on): a stopping search ends without waiting again.
      const again = await rejection(
        storage.appendEvent(experiment.id, { type: 'after', payload: {} }),
        StorageError,
        'STORAGE_UNREACHABLE',
      );
      expect(again.message).toMatch(
        new RegExp(
          `^cannot reach PostgreSQL at 127\\.0\\.0\\.1:${server().port} \\(ECONNREFUSED; 6 tries over 0\\.[0-9] s\\)$`,
        ),
      );
    } finally {
      await server().start();
    }
    expect(await storage.getTrial(t.id)).toStrictEqual(t);
    expect(await storage.listEvents(experiment.id)).toStrictEqual([]);
    expect(await storage.listEpochs(t.id)).toStrictEqual([epoch(0)]);
    await storage.finishTrial(t.id, { state: 'COMPLETE', outcome: outcome(3) });
    expect((await storage.getTrial(t.id))?.outcome?.epochs).toStrictEqual(outcome(3).epochs);
    await storage.close();
  });
});
