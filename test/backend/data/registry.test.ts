import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATASETS, findDataset, loadDataset, resolveDatasetOptions } from '../../../src/backend/data/registry.js';
import { DatasetError, OptionsError } from '../../../src/core/errors.js';

describe('the data set registry', () => {
  it('lists every data set with a description and option descriptions', () => {
    expect(DATASETS.map((d) => d.name)).toEqual(['mnist', 'fashion-mnist', 'cifar10', 'synthetic']);
    for (const entry of DATASETS) {
      expect(entry.description.length).toBeGreaterThan(10);
      for (const spec of Object.values(entry.options)) expect(spec.description.length).toBeGreaterThan(3);
    }
  });

  it('knows shapes and class counts without loading', () => {
    const cifar = findDataset('cifar10');
    const cifarOptions = resolveDatasetOptions('cifar10', { dir: '/data/cifar' });
    expect(cifar.shape(cifarOptions)).toEqual([32, 32, 3]);
    expect(cifar.numClasses(cifarOptions)).toBe(10);
    const synthetic = findDataset('synthetic');
    const options = resolveDatasetOptions('synthetic', { height: 5, width: 7, channels: 3, classes: 4 });
    expect(synthetic.shape(options)).toEqual([5, 7, 3]);
    expect(synthetic.numClasses(options)).toBe(4);
  });

  it('rejects an unknown name, listing the known ones', () => {
    expect(() => findDataset('imagenet')).toThrow(DatasetError);
    expect(() => findDataset('imagenet')).toThrow('unknown data set "imagenet"; known: mnist, fashion-mnist, cifar10, synthetic');
  });

  it('fills defaults and makes paths absolute', () => {
    expect(resolveDatasetOptions('cifar10', { dir: 'data/cifar' })).toEqual({ dir: resolve('data/cifar'), recordsPerFile: 10_000 });
    expect(resolveDatasetOptions('synthetic', { seed: 'abc' })).toMatchObject({ seed: 'abc', trainCount: 1000, classes: 10, noise: 0.3 });
  });

  it('reports every bad option at once, with what was expected and what was given', () => {
    let error: unknown;
    try {
      resolveDatasetOptions('synthetic', { trainCount: 0, classes: 300, noise: 'loud', seed: 1.5, colour: true });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OptionsError);
    const message = (error as Error).message;
    expect(message).toContain('data set "synthetic" has invalid options (5 problems)');
    expect(message).toContain('colour: unknown option (known: seed, trainCount, testCount, height, width, channels, classes, noise)');
    expect(message).toContain('trainCount: expected an integer ≥ 1, got 0');
    expect(message).toContain('classes: expected an integer in 2..256, got 300');
    expect(message).toContain('noise: expected a number ≥ 0, got "loud"');
    expect(message).toContain('seed: expected a seed (string or integer), got 1.5');
  });

  it('requires the cifar10 directory', () => {
    expect(() => resolveDatasetOptions('cifar10')).toThrow(
      'dir: required (a directory with data_batch_1.bin … data_batch_5.bin and test_batch.bin), got nothing',
    );
    expect(() => resolveDatasetOptions('cifar10', { dir: 42 })).toThrow('dir: expected a path (non-empty string), got 42');
  });

  it('rejects options given to a data set that takes none', () => {
    expect(() => resolveDatasetOptions('mnist', { dir: 'x' })).toThrow('dir: unknown option (known: none)');
  });

  it('loads a data set by name with its options', async () => {
    const data = await loadDataset('synthetic', { trainCount: 12, testCount: 4, height: 2, width: 3, channels: 2, classes: 3, seed: 'r' });
    expect(data.name).toBe('synthetic');
    expect(data.train.count).toBe(12);
    expect(data.train.shape).toEqual([2, 3, 2]);
    expect(Array.from(data.test.labels)).toEqual([0, 1, 2, 0]);
  });
});
