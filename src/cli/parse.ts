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
  if (!Number.isSafeInteger(n) || value.trim() === '')
    throw new InvalidArgumentError(`expected an integer, got "${value}"`);
  return n;
}

/** Commander argument parser for a JSON object, e.g. the options of a strategy or a space ('{"populationSize":20}'). */
export function parseJsonObject(value: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new InvalidArgumentError(`expected a JSON object, got "${value}"`);
  return parsed as Record<string, unknown>;
}

/** Commander argument parser for one of a fixed list of words (e.g. --precision fp32|bf16|fp16). */
export function parseOneOf<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(choices as readonly string[]).includes(value))
      throw new InvalidArgumentError(`expected one of ${choices.join(', ')}, got "${value}"`);
    return value as T;
  };
}

/** Commander argument parser for a gradient checkpointing segment count: a positive integer or "sqrt". */
export function parseSegments(value: string): number | 'sqrt' {
  if (value === 'sqrt') return value;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new InvalidArgumentError(`expected a positive integer or "sqrt", got "${value}"`);
  return n;
}
