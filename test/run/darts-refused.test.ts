import { describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import { startSearch } from '../../src/run/search.js';
import { eventLog, testConfig } from './helpers.js';

describe('a DARTS search whose supernet does not fit the memory limit', () => {
  it("is refused before anything trains, with the settings that would fit (channels from the space's default), and the experiment is marked failed", async () => {
    const config = testConfig({
      name: 'too-big',
      space: { name: 'nb201', options: { cells: 2 } },
      strategy: { name: 'darts', options: { maxMemoryMiB: 40 } },
    });
    const log = eventLog();
    await expect(startSearch(config, { emit: log.emit })).rejects.toMatchObject({
      code: 'SUPERNET_MEMORY',
      message: expect.stringMatching(
        /^the nb201 supernet needs about [\d.]+ GiB to train .* above the limit of 0\.04 GiB \(strategy\.options\.maxMemoryMiB = 40\)$/,
      ),
      hint: expect.stringMatching(/^settings that fit, each changed alone: batchSize \d+ \([\d.]+ GiB\); channels \d+/),
    });
    expect(log.events.some((e) => e.type.startsWith('oneshot'))).toBe(false);
    const storage = await openSqliteStorage(config.storage);
    try {
      const experiment = await storage.getExperiment('too-big');
      expect(experiment?.status).toBe('failed');
      expect(await storage.listEvents(experiment?.id ?? -1)).toEqual([]);
    } finally {
      await storage.close();
    }
  });
});
