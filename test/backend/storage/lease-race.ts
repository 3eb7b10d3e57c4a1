import { expect } from 'vitest';
import type { LeaseClaim, Storage } from '../../../src/backend/storage/index.js';
import { endAll, lines, spawnFixture } from './children.js';

/**
 * Four processes open the storage at `location` and claim the lease of its experiment `name` at the
 * same moment (fixtures/claim-lease.ts): exactly one wins, and the others are told it holds it.
 */
export async function expectOneClaimWins(location: string, storage: Storage, name: string): Promise<void> {
  const experiment = (await storage.getExperiment(name))!;
  const children = Array.from({ length: 4 }, () => spawnFixture('claim-lease.ts', [location, name]));
  const next = children.map(lines);
  try {
    for (const line of next) expect(await line()).toBe('ready');
    for (const child of children) child.stdin.write('go\n');
    const results = await Promise.all(
      next.map(async (line) => JSON.parse(await line()) as { token: string; claim: LeaseClaim }),
    );

    const winners = results.filter((r) => r.claim.acquired);
    expect(winners).toHaveLength(1);
    const lease = await storage.readLease(experiment.id);
    expect(lease?.token).toBe(winners[0]!.token);
    expect(lease?.pid).toBe(children[results.indexOf(winners[0]!)]!.pid);
    for (const r of results.filter((x) => !x.claim.acquired))
      expect(r.claim).toMatchObject({ acquired: false, holder: lease });
  } finally {
    await endAll(children);
  }
}
