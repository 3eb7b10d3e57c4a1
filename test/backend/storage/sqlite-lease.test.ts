import path from 'node:path';
import { describe, it } from 'vitest';
import { openSqliteStorage } from '../../../src/backend/storage/index.js';
import { expectOneClaimWins } from './lease-race.js';
import { tempDir } from './temp.js';

const dir = tempDir();

describe('the owner lease across processes', () => {
  it('goes to exactly one of several processes that claim it at the same moment', async () => {
    const file = path.join(dir, 'claimed.db');
    const storage = await openSqliteStorage(file);
    await storage.createExperiment({ name: 'contested', config: {}, seed: 1 });
    try {
      await expectOneClaimWins(file, storage, 'contested');
    } finally {
      await storage.close();
    }
  });
});
