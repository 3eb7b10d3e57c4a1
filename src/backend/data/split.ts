import { DatasetError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { checkLabels, sharedIndices, type ImageSet } from './types.js';

/** A view of some images of a set, by index, so the big arrays stay shared and uncopied. */
export type IndexedSet = { readonly set: ImageSet; readonly indices: Uint32Array };

/** How to split: a seed, exactly one of a validation fraction or count, and an optional training subset size. */
export type SplitOptions = { readonly seed: string | number; readonly subset?: number } & (
  | { readonly validationFraction: number; readonly validationCount?: never }
  | { readonly validationCount: number; readonly validationFraction?: never }
);

/**
 * Splits a set into training and validation views by a seeded permutation: validation is its first
 * part, training the rest, cut to its first `subset` indices if given. Same seed, same split and order.
 */
export function splitTrainValidation(set: ImageSet, options: SplitOptions): { train: IndexedSet; validation: IndexedSet } {
  const validationCount = resolveValidationCount(set.count, options);
  const trainCount = set.count - validationCount;
  const subset = options.subset ?? trainCount;
  if (!Number.isInteger(subset) || subset < 1 || subset > trainCount) {
    throw new DatasetError(`split: subset must be an integer in 1..${trainCount} (the training part), got ${options.subset}`);
  }
  const order = new Rng(options.seed).derive('data-split').permutation(set.count);
  return {
    train: { set, indices: sharedIndices(order.subarray(validationCount, validationCount + subset)) },
    validation: { set, indices: sharedIndices(order.subarray(0, validationCount)) },
  };
}

function resolveValidationCount(total: number, options: SplitOptions): number {
  const { validationFraction: fraction, validationCount: count } = options;
  if ((fraction === undefined) === (count === undefined)) {
    throw new DatasetError(`split: give exactly one of validationFraction and validationCount, got ${fraction === undefined ? 'neither' : 'both'}`);
  }
  if (fraction !== undefined) {
    if (!(fraction >= 0 && fraction < 1)) throw new DatasetError(`split: validationFraction must be in [0, 1), got ${fraction}`);
    return Math.round(fraction * total);
  }
  const given = count ?? Number.NaN;
  if (!Number.isInteger(given) || given < 0 || given >= total) {
    throw new DatasetError(`split: validationCount must be an integer in 0..${total - 1}, got ${count}`);
  }
  return given;
}

/** A seeded reordering of `indices` (a new, unshared array): the per-epoch order of a training view. */
export function shuffleIndices(indices: Uint32Array, rng: Rng): Uint32Array {
  const order = rng.permutation(indices.length);
  return order.map((i) => indices[i] as number);
}

/**
 * Holds out `perClass` examples of every class, chosen by `rng`: returns the rest and the held-out
 * indices, each in a shuffled order.
 */
export function stratifiedHoldout(
  labels: Uint8Array,
  numClasses: number,
  perClass: number,
  rng: Rng,
): { rest: Uint32Array; holdout: Uint32Array } {
  checkLabels(labels, numClasses, 'stratifiedHoldout');
  const byClass = Array.from({ length: numClasses }, () => [] as number[]);
  labels.forEach((label, i) => byClass[label]?.push(i));
  const rest: number[] = [];
  const holdout: number[] = [];
  byClass.forEach((members, label) => {
    if (members.length < perClass) {
      throw new DatasetError(`cannot hold out ${perClass} examples of class ${label}: it has ${members.length}`);
    }
    rng.shuffle(members);
    holdout.push(...members.slice(0, perClass));
    rest.push(...members.slice(perClass));
  });
  return { rest: Uint32Array.from(rng.shuffle(rest)), holdout: Uint32Array.from(rng.shuffle(holdout)) };
}
