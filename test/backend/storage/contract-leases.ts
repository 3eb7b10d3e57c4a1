import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { expect, it } from 'vitest';
import { StorageMisuseError } from '../../../src/backend/storage/index.js';
import { rejection, type ContractContext } from './contract.js';

// The experiment of every case is created at 1_000_000; each stamping call takes the next ms.
const HOST = os.hostname();
const here = (token: string, pid = process.pid) => ({ host: HOST, pid, token });
const elsewhere = (token: string, pid = process.pid) => ({ host: 'another-machine', pid, token });
const LONG = { staleAfterMs: 60_000 };

/** A pid that no process on this host has any more (a child that ran and exited). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid;
}

/** Contract cases of the owner lease: acquire, renew, release, read, and when a holder is stale. */
export function describeLeaseContract(ctx: ContractContext): void {
  it('acquires a free lease, stamping its start and heartbeat, and reads it back', async () => {
    const id = ctx.experiment.id;
    expect(await ctx.storage.readLease(id)).toBeUndefined();
    const claim = await ctx.storage.acquireLease(id, here('a'), LONG);
    const lease = { ...here('a'), startedAt: 1_000_001, heartbeatAt: 1_000_001 };
    expect(claim).toStrictEqual({ acquired: true, lease });
    expect(await ctx.storage.readLease(id)).toStrictEqual(lease);
    const other = await ctx.storage.createExperiment({ name: 'other', config: {}, seed: 1 });
    expect(await ctx.storage.readLease(other.id)).toBeUndefined();
    expect((await ctx.storage.acquireLease(other.id, here('b'), LONG)).acquired).toBe(true);
  });

  it('refuses another claimant while the holder is alive and its heartbeat fresh, and changes nothing', async () => {
    const id = ctx.experiment.id;
    await ctx.storage.acquireLease(id, here('a'), LONG);
    const holder = { ...here('a'), startedAt: 1_000_001, heartbeatAt: 1_000_001 };
    expect(await ctx.storage.acquireLease(id, here('b'), LONG)).toStrictEqual({
      acquired: false,
      holder,
      checkedAt: 1_000_002,
    });
    expect(await ctx.storage.acquireLease(id, elsewhere('c'), LONG)).toStrictEqual({
      acquired: false,
      holder,
      checkedAt: 1_000_003,
    });
    expect(await ctx.storage.acquireLease(id, here('a'), LONG)).toStrictEqual({
      acquired: false,
      holder,
      checkedAt: 1_000_004,
    });
    expect(await ctx.storage.readLease(id)).toStrictEqual(holder);
  });

  it('renews only the holder’s heartbeat', async () => {
    const id = ctx.experiment.id;
    await ctx.storage.acquireLease(id, here('a'), LONG);
    expect(await ctx.storage.renewLease(id, 'a')).toBe(true);
    expect(await ctx.storage.renewLease(id, 'b')).toBe(false);
    expect(await ctx.storage.renewLease(999, 'a')).toBe(false);
    expect(await ctx.storage.readLease(id)).toStrictEqual({
      ...here('a'),
      startedAt: 1_000_001,
      heartbeatAt: 1_000_002,
    });
  });

  it('is released only by its holder, and is then free at once', async () => {
    const id = ctx.experiment.id;
    await ctx.storage.acquireLease(id, here('a'), LONG);
    expect(await ctx.storage.releaseLease(id, 'b')).toBe(false);
    expect((await ctx.storage.readLease(id))?.token).toBe('a');
    expect(await ctx.storage.releaseLease(id, 'a')).toBe(true);
    expect(await ctx.storage.readLease(id)).toBeUndefined();
    expect(await ctx.storage.releaseLease(id, 'a')).toBe(false);
    expect(await ctx.storage.acquireLease(id, here('b'), LONG)).toStrictEqual({
      acquired: true,
      lease: { ...here('b'), startedAt: 1_000_002, heartbeatAt: 1_000_002 },
    });
  });

  it('lets a claimant take over a holder whose heartbeat is staleAfterMs old; the old holder can then neither renew nor release', async () => {
    const id = ctx.experiment.id;
    await ctx.storage.acquireLease(id, elsewhere('a', 1), LONG);
    const previous = { ...elsewhere('a', 1), startedAt: 1_000_001, heartbeatAt: 1_000_001 };
    expect(await ctx.storage.acquireLease(id, here('b'), { staleAfterMs: 2 })).toStrictEqual({
      acquired: false,
      holder: previous,
      checkedAt: 1_000_002,
    });
    const claim = await ctx.storage.acquireLease(id, here('b'), { staleAfterMs: 2 });
    const lease = { ...here('b'), startedAt: 1_000_003, heartbeatAt: 1_000_003 };
    expect(claim).toStrictEqual({ acquired: true, lease, takenOver: { previous, why: 'heartbeat-timeout' } });
    expect(await ctx.storage.renewLease(id, 'a')).toBe(false);
    expect(await ctx.storage.releaseLease(id, 'a')).toBe(false);
    expect(await ctx.storage.readLease(id)).toStrictEqual({ ...lease, heartbeatAt: 1_000_003 });
  });

  it('counts staleness from the last heartbeat, not from the start', async () => {
    const id = ctx.experiment.id;
    await ctx.storage.acquireLease(id, elsewhere('a'), LONG);
    await ctx.storage.renewLease(id, 'a');
    await ctx.storage.renewLease(id, 'a');
    expect((await ctx.storage.acquireLease(id, here('b'), { staleAfterMs: 2 })).acquired).toBe(false);
  });

  it('takes over at once a holder on the same host whose process is gone; a claimant on another host cannot tell and waits for the timeout', async () => {
    const id = ctx.experiment.id;
    const pid = deadPid();
    await ctx.storage.acquireLease(id, here('a', pid), LONG);
    const previous = { ...here('a', pid), startedAt: 1_000_001, heartbeatAt: 1_000_001 };
    expect(await ctx.storage.acquireLease(id, elsewhere('b'), LONG)).toStrictEqual({
      acquired: false,
      holder: previous,
      checkedAt: 1_000_002,
    });
    const claim = await ctx.storage.acquireLease(id, here('c'), LONG);
    expect(claim).toStrictEqual({
      acquired: true,
      lease: { ...here('c'), startedAt: 1_000_003, heartbeatAt: 1_000_003 },
      takenOver: { previous, why: 'owner-dead' },
    });
  });

  it('refuses a claim without host, pid or token, a timeout that is not positive, and an unknown experiment', async () => {
    const id = ctx.experiment.id;
    for (const bad of [{ ...here('a'), host: '' }, here('a', 0), here('a', 1.5), here('')]) {
      await rejection(ctx.storage.acquireLease(id, bad, LONG), StorageMisuseError, 'INVALID_INPUT');
    }
    await rejection(ctx.storage.acquireLease(id, here('a'), { staleAfterMs: 0 }), StorageMisuseError, 'INVALID_INPUT');
    await rejection(ctx.storage.acquireLease(999, here('a'), LONG), StorageMisuseError, 'UNKNOWN_EXPERIMENT');
    expect(await ctx.storage.readLease(id)).toBeUndefined();
  });
}
