import type { Json } from '../../core/arch.js';

/** A kind of attribute value: what it must be, in words and as a test, and its canonical form. */
export interface AttrKind {
  readonly expected: string;
  readonly ok: (value: unknown) => boolean;
  readonly canon?: (value: Json) => Json;
}

/** One attribute of an op: its kind, whether it is required, and the default when it is not. */
export interface AttrSpec extends AttrKind {
  readonly required: boolean;
  readonly default?: Json;
}

export type AttrSchema = Readonly<Record<string, AttrSpec>>;

/** A required attribute. */
export const req = (kind: AttrKind): AttrSpec => ({ ...kind, required: true });
/** An optional attribute and its default (the value the cost model and builder assume when absent). */
export const opt = (kind: AttrKind, fallback?: Json): AttrSpec =>
  fallback === undefined ? { ...kind, required: false } : { ...kind, required: false, default: fallback };

const isInt = (v: unknown, min: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min;
const isTwo = (v: unknown, ok: (x: unknown) => boolean): v is readonly [unknown, unknown] =>
  Array.isArray(v) && v.length === 2 && v.every(ok);
const samePair = (v: Json): Json => (Array.isArray(v) && v.length === 2 && v[0] === v[1] ? (v[0] as Json) : v);

export const POS_INT: AttrKind = { expected: 'a positive integer', ok: (v) => isInt(v, 1) };
export const NON_NEG_INT: AttrKind = { expected: 'a non-negative integer', ok: (v) => isInt(v, 0) };
export const BOOL: AttrKind = { expected: 'true or false', ok: (v) => typeof v === 'boolean' };
export const STRING: AttrKind = { expected: 'a non-empty string', ok: (v) => typeof v === 'string' && v !== '' };
export const POS_NUMBER: AttrKind = {
  expected: 'a positive number',
  ok: (v) => typeof v === 'number' && Number.isFinite(v) && v > 0,
};
export const FRACTION: AttrKind = {
  expected: 'a number in [0, 1)',
  ok: (v) => typeof v === 'number' && v >= 0 && v < 1,
};
export const UNITS: AttrKind = {
  expected: 'a positive integer or "classes"',
  ok: (v) => v === 'classes' || isInt(v, 1),
};
export const POS_PAIR: AttrKind = {
  expected: 'a positive integer or [height, width]',
  ok: (v) => isInt(v, 1) || isTwo(v, (x) => isInt(x, 1)),
  canon: samePair,
};
export const NON_NEG_PAIR: AttrKind = {
  expected: 'a non-negative integer or [height, width]',
  ok: (v) => isInt(v, 0) || isTwo(v, (x) => isInt(x, 0)),
  canon: samePair,
};

const isExplicit = (v: unknown): boolean =>
  isInt(v, 0) || isTwo(v, (x) => isInt(x, 0)) || isTwo(v, (x) => isTwo(x, (y) => isInt(y, 0)));

/** p, [ph, pw] and [[t, b], [l, r]] in their shortest equal form; all-zero becomes `zeroAs`. */
function canonPadding(zeroAs: Json): (v: Json) => Json {
  return (v) => {
    if (typeof v === 'string' || !isExplicit(v)) return v;
    const [[t, b], [l, r]] = explicitSides(v as never);
    if (t === b && l === r) return t === 0 && l === 0 ? zeroAs : t === l ? t : [t, l];
    return [
      [t, b],
      [l, r],
    ];
  };
}

/** Explicit padding as [[top, bottom], [left, right]]. */
export function explicitSides(
  v: number | readonly [number, number] | readonly [readonly [number, number], readonly [number, number]],
): [[number, number], [number, number]] {
  if (typeof v === 'number')
    return [
      [v, v],
      [v, v],
    ];
  const [a, b] = v;
  if (typeof a === 'number' && typeof b === 'number')
    return [
      [a, a],
      [b, b],
    ];
  const [t, bo] = a as readonly [number, number];
  const [l, r] = b as readonly [number, number];
  return [
    [t, bo],
    [l, r],
  ];
}

export const EXPLICIT: AttrKind = {
  expected: 'p, [ph, pw] or [[top, bottom], [left, right]] (non-negative integers)',
  ok: isExplicit,
  canon: canonPadding(0),
};
export const PADDING: AttrKind = {
  expected: '"same", "valid", p, [ph, pw] or [[top, bottom], [left, right]]',
  ok: (v) => v === 'same' || v === 'valid' || isExplicit(v),
  canon: canonPadding('valid'),
};

/** One of the listed strings. */
export function oneOf(values: readonly string[]): AttrKind {
  const expected = `one of ${values.map((v) => `"${v}"`).join(', ')}`;
  return { expected, ok: (v) => typeof v === 'string' && values.includes(v) };
}
