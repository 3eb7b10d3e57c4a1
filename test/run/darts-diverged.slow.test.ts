import { describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import { startSearch } from '../../src/run/search.js';
import { eventLog, testConfig } from './helpers.js';

describe('a DARTS supernet whose loss diverges', () => {
  it('fails the search with the reason and a hint, keeps what was recorded, and marks the experiment failed', async () => {
    const config = testConfig({
      name: 'darts-diverges',
      dataset: { name: 'synthetic', options: { trainCount: 400, testCount: 50, classes: 4 }, validationFraction: 0.2 },
      space: { name: 'nb201', options: { cells: 1, channels: 4 } },
      strategy: { name: 'darts', options: { epochs: 3, batchSize: 32, lr: 1e12, clipNorm: 0 } },
      workers: 1,
    });
    const log = eventLog();
    await expect(startSearch(config, { emit: log.emit })).rejects.toMatchObject({
      code: 'ONESHOT_FAILED',
      message: expect.stringMatching(
        /^DARTS supernet training failed \(diverged\): training diverged: the loss of step \d+ \(epoch \d\) is (NaN|Infinity|-Infinity)$/,
      ),
      hint: expect.stringContaining('`nas resume` continues from the last one'),
    });
    expect(log.events.filter((e) => e.type === 'oneshot-started')).toHaveLength(1);
    const storage = await openSqliteStorage(config.storage);
    try {
      const experiment = await storage.getExperiment(config.name);
      expect(experiment?.status).toBe('failed');
      expect(await storage.listTrials(experiment?.id ?? -1)).toEqual([]);
    } finally {
      await storage.close();
    }
  });
});
