import { describe, expect, it } from 'vitest';
import { costOf } from '../../../../src/space/cost/index.js';
import { createSpace } from '../../../../src/space/spaces/index.js';
import { assertArch } from '../../../../src/space/validate.js';

const CIFAR = { inputShape: [32, 32, 3], classes: 10 } as const;

describe('the DARTS supernet', () => {
  const space = createSpace('darts', {});
  const arch = assertArch(
    space.supernet?.({ channels: 16, layers: 8 }) ?? { version: 1, nodes: [], output: '' },
    CIFAR,
  );

  it("has the paper's search model size at C = 16, L = 8: 1,930,618 parameters (train_search.py logs 1.930618 MB)", () => {
    expect(costOf(arch, { batch: 64 }).params.trainable).toBe(1_930_618);
  });

  it('mixes all 8 ops on each of the 14 edges of each of the 8 cells, α rows in the relaxation order', () => {
    const mixes = arch.nodes.filter((n) => n.node.op === 'mix');
    expect(mixes).toHaveLength(8 * 14);
    expect(mixes.every((m) => m.node.inputs.length === 8)).toBe(true);
    const relaxation = space.relaxation?.();
    const normalEdges = relaxation?.cells.find((c) => c.name === 'normal')?.edges ?? [];
    const firstCell = mixes.filter((m) => m.id.startsWith('c0.')).map((m) => m.node as { alpha: string; edge: number });
    // Cells 2 and 5 are the reductions (⌊8/3⌋, ⌊16/3⌋); cell 0 is normal.
    expect(firstCell.map((m) => m.alpha)).toEqual(Array(14).fill('normal'));
    expect(firstCell.map((m) => m.edge)).toEqual(normalEdges.map((_, i) => i));
    expect(
      mixes.filter((m) => m.id.startsWith('c2.')).every((m) => (m.node as { alpha: string }).alpha === 'reduce'),
    ).toBe(true);
  });

  it('has no affine BatchNorm inside the cells (only the stem keeps γ and β), and a BN after each pooling op', () => {
    const bns = arch.nodes.filter((n) => n.node.op === 'bn');
    const affine = bns.filter((n) => (n.node as { affine?: boolean }).affine !== false).map((n) => n.id);
    expect(affine).toEqual(['stem_bn']);
    expect(arch.nodes.filter((n) => /\.(max|avg)_pool_3x3$/.test(n.id)).every((n) => n.node.op === 'bn')).toBe(true);
  });

  it('follows the size options, defaulting to the space’s own', () => {
    const own = assertArch(space.supernet?.() ?? { version: 1, nodes: [], output: '' }, CIFAR);
    expect(costOf(own, { batch: 1 }).params.trainable).toBe(costOf(arch, { batch: 1 }).params.trainable);
    const small = assertArch(
      space.supernet?.({ channels: 8, layers: 5 }) ?? { version: 1, nodes: [], output: '' },
      CIFAR,
    );
    expect(small.nodes.filter((n) => n.node.op === 'mix')).toHaveLength(5 * 14);
  });
});

describe('the NAS-Bench-201 supernet', () => {
  it('mixes the 5 ops on the 6 edges of every cell (N per stage), and keeps the benchmark skeleton', () => {
    const space = createSpace('nb201', { cells: 2, channels: 8 });
    const arch = assertArch(space.supernet?.() ?? { version: 1, nodes: [], output: '' }, CIFAR);
    const mixes = arch.nodes.filter((n) => n.node.op === 'mix');
    expect(mixes).toHaveLength(3 * 2 * 6);
    expect(mixes.every((m) => m.node.inputs.length === 5 && (m.node as { alpha: string }).alpha === 'cell')).toBe(true);
    const ids = space.relaxation?.().cells[0]?.edges.map((e) => e.id);
    expect(ids).toEqual(['node1[0]', 'node2[0]', 'node2[1]', 'node3[0]', 'node3[1]', 'node3[2]']);
    expect(mixes.slice(0, 6).map((m) => (m.node as { edge: number }).edge)).toEqual([0, 1, 2, 3, 4, 5]);
    // Its parameters: the skeleton (an all-"none" cell has none of its own) plus, on each of the 6 edges of the
    // 2 cells of each stage, a 1×1 and a 3×3 conv of C_s channels (C² + 9C²) with non-affine BN.
    const skeleton = assertArch(space.freeze(space.parse('|none~0|+|none~0|none~1|+|none~0|none~1|none~2|')), CIFAR);
    const cells = [8, 16, 32].reduce((sum, c) => sum + 2 * 6 * 10 * c * c, 0);
    expect(costOf(arch, { batch: 1 }).params.trainable).toBe(costOf(skeleton, { batch: 1 }).params.trainable + cells);
    expect(
      arch.nodes.filter(
        (n) => n.node.op === 'bn' && n.id.startsWith('stage') && (n.node as { affine?: boolean }).affine !== false,
      ),
    ).toEqual([]);
  });
});
