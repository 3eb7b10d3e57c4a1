import type { AddNode, ConcatNode, MixNode, MulNode, Shape } from '../../core/arch.js';
import { NON_NEG_INT, STRING, req } from './attrs.js';
import { ShapeError, first, fmt, noParams, numel, zero, type PrimitiveDef } from './types.js';

const equal = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((v, i) => v === b[i]);
const label = (n: { readonly inputs: readonly string[] }, i: number): string =>
  `input ${i + 1} ("${n.inputs[i] ?? '?'}")`;

/** The shape every input shares (the first's); a mismatch names the input. */
function sharedShape(inputs: readonly Shape[], n: { readonly inputs: readonly string[] }): Shape {
  const base = first(inputs);
  inputs.forEach((s, i) => {
    if (!equal(s, base)) {
      throw new ShapeError(
        `${label(n, i)} has shape ${fmt(s)}, expected ${fmt(base)} like ${label(n, 0)}${channelNote(base, s)}`,
      );
    }
  });
  return base;
}

function channelNote(a: Shape, b: Shape): string {
  const same = a.length === b.length && a.slice(0, -1).every((v, i) => v === b[i]);
  return same ? ` (channel mismatch: ${b.at(-1)} vs ${a.at(-1)})` : '';
}

/** Element-wise sum; every input must have the shape of the first. */
export const add: PrimitiveDef<AddNode> = {
  kind: 'primitive',
  op: 'add',
  summary: 'element-wise sum of inputs of equal shape (residual joins)',
  attrs: {},
  arity: { min: 2 },
  inferShape: sharedShape,
  params: noParams,
  macs: zero,
  otherOps: (inputs, _n, out) => (inputs.length - 1) * numel(out),
};

/** Concatenation along the last axis; all other dimensions must agree. */
export const concat: PrimitiveDef<ConcatNode> = {
  kind: 'primitive',
  op: 'concat',
  summary: 'concatenation along channels (other dimensions equal)',
  attrs: {},
  arity: { min: 2 },
  inferShape(inputs, n) {
    const base = first(inputs);
    let channels = 0;
    inputs.forEach((s, i) => {
      if (s.length !== base.length || !s.slice(0, -1).every((v, j) => v === base[j])) {
        throw new ShapeError(
          `${label(n, i)} has shape ${fmt(s)}, expected [${base.slice(0, -1).join(',')},*] like ${label(n, 0)}`,
        );
      }
      channels += s.at(-1) ?? 0;
    });
    return [...base.slice(0, -1), channels];
  },
  params: noParams,
  macs: zero,
  otherOps: zero,
};

function broadcasts(gate: Shape, map: Shape): boolean {
  if (equal(gate, map)) return true;
  if (gate.length === 1) return gate[0] === 1 || gate[0] === map.at(-1);
  return gate.length === 3 && map.length === 3 && gate[2] === 1 && gate[0] === map[0] && gate[1] === map[1];
}

/** Product of a tensor and a gate broadcast to it ([C], [H, W, 1] or equal shape): attention scaling. */
export const mul: PrimitiveDef<MulNode> = {
  kind: 'primitive',
  op: 'mul',
  summary: 'element-wise product; the second input broadcasts ([C] or [H,W,1] against [H,W,C])',
  attrs: {},
  arity: { min: 2, max: 2 },
  inferShape(inputs, n) {
    const map = first(inputs);
    const gate = inputs[1] ?? [];
    if (!broadcasts(gate, map)) {
      const c = map.at(-1) ?? 0;
      const forms = map.length === 3 ? `${fmt(map)}, [${c}] or [${map[0]},${map[1]},1]` : fmt(map);
      throw new ShapeError(
        `${label(n, 1)} has shape ${fmt(gate)}, expected ${forms} to broadcast against ${label(n, 0)}`,
      );
    }
    return map;
  },
  params: noParams,
  macs: zero,
  otherOps: (_inputs, _n, out) => numel(out),
};

/** A DARTS mixed op: the softmax(α)-weighted sum of its inputs (one per candidate op), all of one shape. */
export const mix: PrimitiveDef<MixNode> = {
  kind: 'primitive',
  op: 'mix',
  summary: 'one-shot mixed op: softmax(α[edge])-weighted sum of inputs of equal shape (DARTS supernets)',
  attrs: { alpha: req(STRING), edge: req(NON_NEG_INT) },
  arity: { min: 1 },
  inferShape: sharedShape,
  params: noParams,
  macs: (inputs, _n, out) => inputs.length * numel(out),
  otherOps: (inputs, _n, out) => (inputs.length - 1) * numel(out),
};
