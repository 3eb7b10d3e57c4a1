// Every primitive op of the catalog has a case in the builder (layerFor) and in the compiler
// (lowerNode): an op without one must not build as something else (docs/adding-an-op.md, steps 3
// and 3b). The compiler checks it (`unhandledOp` takes `never`); this checks it at run time too.
import { describe, expect, it } from 'vitest';
import type { PrimitiveNode } from '../../src/core/arch.js';
import { layerFor } from '../../src/eval/build/primitives.js';
import { lowerNode, type LowerContext } from '../../src/eval/compile/lower/index.js';
import { listOps } from '../../src/space/index.js';
import { unhandledOp } from '../../src/space/ops/unhandled-op.js';

const PRIMITIVES = listOps()
  .filter((o) => o.kind === 'primitive')
  .map((o) => o.name);
const NO_CASE = /has no case for op/;

/** A node of `op` with no attributes: enough to reach its case, which may then reject the node. */
const bare = (op: string): PrimitiveNode => ({ id: 'x', op, inputs: ['input'] }) as unknown as PrimitiveNode;
const build = (op: string) => () => layerFor(bare(op), { name: 'x', init: { scheme: 'he', seed: 1 } });
const lower = (op: string) => () => lowerNode({} as LowerContext, 'x', bare(op), []);

describe('every primitive op has a builder case and a lowering', () => {
  it('walks the primitives of the catalog, not its blocks', () => {
    expect(PRIMITIVES).toEqual(expect.arrayContaining(['conv', 'identity', 'mix']));
    expect(PRIMITIVES).not.toContain('bottleneck');
  });

  it.each(PRIMITIVES)('%s reaches its case in layerFor and lowerNode', (op) => {
    expect(build(op)).not.toThrow(NO_CASE);
    expect(lower(op)).not.toThrow(NO_CASE);
  });

  it('an op without a case is an error naming the op and the switch, not a pass-through', () => {
    expect(build('shuffle')).toThrow(
      'the builder (layerFor, src/eval/build/primitives.ts) has no case for op "shuffle"',
    );
    expect(lower('shuffle')).toThrow(
      'the compiler (lowerNode, src/eval/compile/lower/index.ts) has no case for op "shuffle"',
    );
  });

  it('a switch that leaves out an op does not compile (checked by tsc --noEmit)', () => {
    const onlyConv = (node: PrimitiveNode): string => {
      switch (node.op) {
        case 'conv':
          return 'conv';
        default:
          // @ts-expect-error: every op but conv reaches the default, so `node` is not `never` here
          return unhandledOp(node, 'onlyConv');
      }
    };
    expect(onlyConv(bare('conv'))).toBe('conv');
    expect(() => onlyConv(bare('dense'))).toThrow('onlyConv has no case for op "dense"');
  });
});
