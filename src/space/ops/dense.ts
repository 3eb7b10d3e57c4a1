import type { DenseNode, FlattenNode } from '../../core/arch.js';
import { BOOL, STRING, UNITS, opt, req } from './attrs.js';
import { ShapeError, first, fmt, noParams, numel, zero, type PrimitiveDef } from './types.js';

const ONE = { min: 1, max: 1 } as const;

function units(n: DenseNode): number {
  if (n.units === 'classes') throw new ShapeError('units is "classes" but no class count was given', 'units');
  return n.units;
}

function features(shape: readonly number[]): number {
  if (shape.length !== 1) {
    throw new ShapeError(`dense expects a vector [N], got ${fmt(shape)}; put a flatten or gap before it`);
  }
  return shape[0] ?? 0;
}

/** Fully connected: params in·out (+ out bias), MACs in·out. */
export const dense: PrimitiveDef<DenseNode> = {
  kind: 'primitive',
  op: 'dense',
  summary: 'fully connected layer on a vector (units may be "classes")',
  attrs: { units: req(UNITS), bias: opt(BOOL, true), weightsOf: opt(STRING) },
  arity: ONE,
  inferShape(inputs, n) {
    features(first(inputs));
    return [units(n)];
  },
  params(inputs, n) {
    const out = units(n);
    return { trainable: features(first(inputs)) * out + (n.bias === false ? 0 : out), nonTrainable: 0 };
  },
  macs: (inputs, n) => features(first(inputs)) * units(n),
  otherOps: zero,
};

/** Flatten to a vector (a view of its input). */
export const flatten: PrimitiveDef<FlattenNode> = {
  kind: 'primitive',
  op: 'flatten',
  summary: 'flatten [H,W,C] → [H·W·C]',
  attrs: {},
  arity: ONE,
  inferShape: (inputs) => [numel(first(inputs))],
  params: noParams,
  macs: zero,
  otherOps: zero,
  alias: true,
};
