import { describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import { UserError } from '../../src/core/errors.js';
import { fencedStorage } from '../../src/run/fenced-storage.js';
import { OwnerLease } from '../../src/run/owner-lease.js';
import { tempDb } from './helpers.js';

const thief = { host: 'thief-host', pid: 4242, token: 'thief' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A file with experiment "exp" owned by this process, whose heartbeat timer never fires (a stalled process). */
async function owned(timeoutMs: number) {
  const storage = await openSqliteStorage(tempDb());
  const experiment = await storage.createExperiment({ name: 'exp', config: {}, seed: 1 });
  const lease = await OwnerLease.acquire(storage, experiment, { heartbeatMs: 1e9, timeoutMs });
  return { storage, experiment, lease, fenced: fencedStorage(storage, lease) };
}

describe('the storage as an owner sees it', () => {
  it('writes at once while the lease is confirmed, without renewing it', async () => {
    const { storage, experiment, lease, fenced } = await owned(60_000);
    const heartbeat = (await storage.readLease(experiment.id))!.heartbeatAt;
    await sleep(5);
    await fenced.appendEvent(experiment.id, { type: 'x', payload: 1 });
    expect((await storage.readLease(experiment.id))!.heartbeatAt).toBe(heartbeat);
    await lease.release();
    expect(await storage.readLease(experiment.id)).toBeUndefined();
    await storage.close();
  });

  it('after a stall of half the timeout, renews before writing, and refuses the write when the lease was taken meanwhile', async () => {
    const { storage, experiment, lease, fenced } = await owned(100);
    await sleep(60);
    expect((await storage.acquireLease(experiment.id, thief, { staleAfterMs: 1 })).acquired).toBe(true);
    const write = fenced.appendEvent(experiment.id, { type: 'late', payload: 1 });
    const read = fenced.listEvents(experiment.id);
    const error = await write.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('EXPERIMENT_TAKEN_OVER');
    expect(await read).toEqual([]);
    await expect(fenced.setExperimentStatus(experiment.id, 'stopped')).rejects.toBe(error);
    expect((await fenced.getExperiment('exp'))?.status).toBe('running');
    await lease.release();
    expect((await storage.readLease(experiment.id))?.token).toBe('thief');
    await storage.close();
  });

  it('after a stall, renews and writes when the lease is still its own', async () => {
    const { storage, experiment, lease, fenced } = await owned(100);
    const heartbeat = (await storage.readLease(experiment.id))!.heartbeatAt;
    await sleep(60);
    await fenced.appendEvent(experiment.id, { type: 'late', payload: 1 });
    expect((await storage.readLease(experiment.id))!.heartbeatAt).toBeGreaterThan(heartbeat);
    expect((await storage.listEvents(experiment.id)).map((e) => e.type)).toEqual(['late']);
    await lease.release();
    await storage.close();
  });
});
