import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { syntheticDataset } from '../../../src/backend/data/synthetic.js';
import { sharedIndices } from '../../../src/backend/data/types.js';

describe('sharing data with a worker thread', () => {
  it('posts the set without a copy: the worker reads its values and its writes show in the main thread', async () => {
    const dataset = syntheticDataset({ trainCount: 10, testCount: 2, seed: 'w' });
    const firstPixel = dataset.train.images[0];
    const index = sharedIndices([3]);
    expect(dataset.train.images[1]).not.toBe(42);
    expect(dataset.train.labels[3]).not.toBe(7);

    const worker = new Worker(new URL('./shared-worker.mjs', import.meta.url), { workerData: { dataset, index } });
    const [seen] = (await once(worker, 'message')) as [{ firstPixel: number; label: number; shared: boolean }];
    await worker.terminate();

    expect(seen).toEqual({ firstPixel, label: 3, shared: true });
    expect(dataset.train.images[1]).toBe(42);
    expect(dataset.train.labels[3]).toBe(7);
    expect(index[0]).toBe(99);
  });
});
