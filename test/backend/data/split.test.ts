import { describe, expect, it } from 'vitest';
import { shuffleIndices, splitTrainValidation, stratifiedHoldout } from '../../../src/backend/data/split.js';
import { syntheticDataset } from '../../../src/backend/data/synthetic.js';
import { Rng } from '../../../src/core/rng.js';
import { DatasetError } from '../../../src/core/errors.js';

const set = syntheticDataset({ trainCount: 100, testCount: 1, height: 1, width: 1 }).train;

describe('splitTrainValidation', () => {
  it('covers every image exactly once, validation first', () => {
    const { train, validation } = splitTrainValidation(set, { seed: 1, validationFraction: 0.2 });
    expect(validation.indices.length).toBe(20);
    expect(train.indices.length).toBe(80);
    expect([...validation.indices, ...train.indices].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(train.set).toBe(set);
  });

  it('gives the same split and order for the same seed, another for another seed', () => {
    const a = splitTrainValidation(set, { seed: 'x', validationCount: 10 });
    const b = splitTrainValidation(set, { seed: 'x', validationCount: 10 });
    const c = splitTrainValidation(set, { seed: 'y', validationCount: 10 });
    expect(a.train.indices).toEqual(b.train.indices);
    expect(a.validation.indices).toEqual(b.validation.indices);
    expect(a.train.indices).not.toEqual(c.train.indices);
    expect(a.validation.indices).not.toEqual(c.validation.indices);
  });

  it('is a permutation, not the identity', () => {
    const { train } = splitTrainValidation(set, { seed: 1, validationCount: 0 });
    expect(train.indices.length).toBe(100);
    expect(Array.from(train.indices)).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('takes a subset from the start of the permuted training part, leaving validation alone', () => {
    const full = splitTrainValidation(set, { seed: 5, validationFraction: 0.1 });
    const small = splitTrainValidation(set, { seed: 5, validationFraction: 0.1, subset: 25 });
    expect(small.train.indices).toEqual(full.train.indices.subarray(0, 25));
    expect(small.validation.indices).toEqual(full.validation.indices);
  });

  it('rounds the validation fraction to a count', () => {
    expect(splitTrainValidation(set, { seed: 1, validationFraction: 0.125 }).validation.indices.length).toBe(13);
  });

  it('puts the index views on shared memory', () => {
    const { train, validation } = splitTrainValidation(set, { seed: 1, validationCount: 5 });
    expect(train.indices.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(validation.indices.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it.each([
    [{ seed: 1, validationFraction: 1 }, 'validationFraction must be in [0, 1), got 1'],
    [{ seed: 1, validationFraction: -0.1 }, 'validationFraction must be in [0, 1), got -0.1'],
    [{ seed: 1, validationCount: 100 }, 'validationCount must be an integer in 0..99, got 100'],
    [{ seed: 1, validationCount: 2.5 }, 'validationCount must be an integer in 0..99, got 2.5'],
    [{ seed: 1, validationCount: 10, subset: 91 }, 'subset must be an integer in 1..90 (the training part), got 91'],
    [{ seed: 1, validationCount: 10, subset: 0 }, 'subset must be an integer in 1..90 (the training part), got 0'],
    [{ seed: 1 }, 'give exactly one of validationFraction and validationCount, got neither'],
    [{ seed: 1, validationCount: 1, validationFraction: 0.1 }, 'give exactly one of validationFraction and validationCount, got both'],
  ])('rejects %o', (options, message) => {
    const call = () => splitTrainValidation(set, options as Parameters<typeof splitTrainValidation>[1]);
    expect(call).toThrow(DatasetError);
    expect(call).toThrow(message);
  });
});

describe('shuffleIndices', () => {
  it('reorders the same indices, reproducibly, into a new array', () => {
    const indices = Uint32Array.from([10, 20, 30, 40, 50, 60, 70, 80]);
    const a = shuffleIndices(indices, new Rng(1));
    expect(a).toEqual(shuffleIndices(indices, new Rng(1)));
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from(indices));
    expect(Array.from(a)).not.toEqual(Array.from(indices));
    expect(indices).toEqual(Uint32Array.from([10, 20, 30, 40, 50, 60, 70, 80]));
  });
});

describe('stratifiedHoldout', () => {
  const labels = Uint8Array.from({ length: 60 }, (_, i) => (i < 30 ? 0 : i < 50 ? 1 : 2));

  it('holds out the same number of every class, disjoint from the rest', () => {
    const { rest, holdout } = stratifiedHoldout(labels, 3, 4, new Rng(2));
    expect(Array.from(holdout, (i) => labels[i]).sort()).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    expect(rest.length).toBe(48);
    expect([...rest, ...holdout].sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i));
  });

  it('is reproducible from its generator', () => {
    expect(stratifiedHoldout(labels, 3, 4, new Rng(2))).toEqual(stratifiedHoldout(labels, 3, 4, new Rng(2)));
    expect(stratifiedHoldout(labels, 3, 4, new Rng(2)).holdout).not.toEqual(stratifiedHoldout(labels, 3, 4, new Rng(3)).holdout);
  });

  it('rejects a class too small to hold out from', () => {
    expect(() => stratifiedHoldout(labels, 3, 11, new Rng(1))).toThrow('cannot hold out 11 examples of class 2: it has 10');
  });
});
