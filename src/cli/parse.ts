import { InvalidArgumentError } from 'commander';

/** Commander argument parser for a positive integer flag. */
export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return n;
}

/** Commander argument parser for a positive number (accepts 1e11). */
export function parsePositiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a positive number, got "${value}"`);
  return n;
}

/** Commander argument parser for an image shape "HxWxC" (e.g. 32x32x3). */
export function parseShape(value: string): number[] {
  const parts = value.split(/[x×,]/).map(Number);
  if (parts.length !== 3 || parts.some((n) => !Number.isInteger(n) || n <= 0)) {
    throw new InvalidArgumentError(`expected HxWxC with positive integers (e.g. 32x32x3), got "${value}"`);
  }
  return parts;
}

/** Commander argument parser for an integer flag (negative allowed), e.g. a seed. */
export function parseInteger(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || value.trim() === '') throw new InvalidArgumentError(`expected an integer, got "${value}"`);
  return n;
}
