import { describe, expect, it } from 'vitest';
import type { ArchSpec } from '../../src/core/arch.js';
import { archKey, assertArch, validateArch } from '../../src/space/index.js';
import { chain } from './helpers.js';

/** A stem BN, one with its own momentum, and a basic block (three BNs inside). */
const spec = (batchNorm?: ArchSpec['batchNorm']): ArchSpec => ({
  ...chain(
    [8, 8, 4],
    { id: 'stem_bn', op: 'bn' },
    { id: 'own', op: 'bn', momentum: 0.5 },
    { id: 'b', op: 'basic', filters: 8 },
  ),
  ...(batchNorm === undefined ? {} : { batchNorm }),
});
const bns = (s: ArchSpec) =>
  assertArch(s)
    .nodes.filter((n) => n.node.op === 'bn')
    .map((n) => n.node);

describe("the spec's batchNorm: momentum and epsilon of every bn that does not set its own", () => {
  it("reaches the BNs inside blocks; a bn's own value wins", () => {
    const nodes = bns(spec({ momentum: 0.99, epsilon: 1e-3 }));
    expect(nodes.map((n) => n.id)).toEqual(['stem_bn', 'own', 'b/bn1', 'b/bn2', 'b/proj_bn']);
    expect(nodes.map((n) => [n.op === 'bn' && n.momentum, n.op === 'bn' && n.epsilon])).toEqual([
      [0.99, 1e-3],
      [0.5, 1e-3],
      [0.99, 1e-3],
      [0.99, 1e-3],
      [0.99, 1e-3],
    ]);
  });

  it("without it, the nodes resolve as written (the bn op's defaults apply later)", () => {
    expect(bns(spec()).map((n) => n.op === 'bn' && n.momentum)).toEqual([
      undefined,
      0.5,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('is part of the key, its defaults (momentum 0.9, epsilon 1e-5) dropped', () => {
    expect(archKey(spec({ momentum: 0.9, epsilon: 1e-5 }))).toBe(archKey(spec()));
    expect(archKey(spec({}))).toBe(archKey(spec()));
    expect(archKey(spec({ momentum: 0.99 }))).not.toBe(archKey(spec()));
    expect(archKey(spec({ momentum: 0.99, epsilon: 1e-5 }))).toBe(archKey(spec({ momentum: 0.99 })));
  });

  it("bad settings are issues naming the field, checked as a bn node's attributes", () => {
    expect(validateArch({ ...spec(), batchNorm: { momentum: 1, epsilon: 0, decay: 2 } })).toEqual([
      { path: 'batchNorm.momentum', message: 'expected a number in [0, 1), got 1' },
      { path: 'batchNorm.epsilon', message: 'expected a positive number, got 0' },
      { path: 'batchNorm.decay', message: 'unknown field; expected momentum, epsilon' },
    ]);
    expect(validateArch({ ...spec(), batchNorm: 0.9 })).toEqual([
      { path: 'batchNorm', message: 'expected { momentum?, epsilon? }, got 0.9' },
    ]);
  });
});
