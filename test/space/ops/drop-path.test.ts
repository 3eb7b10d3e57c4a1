import { describe, expect, it } from 'vitest';
import type { ArchNode } from '../../../src/core/arch.js';
import { assertArch, costOf, validateArch } from '../../../src/space/index.js';
import { blockTotals, chain, resolveOne } from '../helpers.js';

describe('drop_path (stochastic depth)', () => {
  it('keeps the shape of a map or a vector; no parameters, MACs or other ops (the identity at inference)', () => {
    for (const shape of [[5, 5, 8], [10]]) {
      const { node } = resolveOne(shape, { id: 'd', op: 'drop_path', rate: 0.2 });
      expect(node.shape).toEqual(shape);
      expect(node.params).toEqual({ trainable: 0, nonTrainable: 0 });
      expect([node.macs, node.otherOps]).toEqual([0, 0]);
    }
  });

  it('stores its output for the backward pass like dropout: 5·5·8 more elements per sample', () => {
    const plain = assertArch(chain([5, 5, 8], { id: 'r', op: 'act', fn: 'relu' }));
    const dropped = assertArch(
      chain([5, 5, 8], { id: 'r', op: 'act', fn: 'relu' }, { id: 'd', op: 'drop_path', rate: 0.5 }),
    );
    const bytes = (arch: typeof plain) => costOf(arch, { batch: 3 }).memory.trainActivations;
    expect(bytes(plain)).toBe((200 + 200) * 3 * 4);
    expect(bytes(dropped) - bytes(plain)).toBe(200 * 3 * 4);
  });

  it('rate must be in [0, 1): the issue names the attribute', () => {
    const spec = chain([4, 4, 2], { id: 'd', op: 'drop_path', rate: 1 } as never);
    expect(validateArch(spec)).toEqual([
      { path: 'nodes[0] (id "d").rate', message: 'expected a number in [0, 1), got 1' },
    ]);
    expect(validateArch(chain([4, 4, 2], { id: 'd', op: 'drop_path' } as never))).toEqual([
      { path: 'nodes[0] (id "d").rate', message: 'missing; expected a number in [0, 1)' },
    ]);
  });
});

describe('dropPath of residual blocks: on the branch, before the addition', () => {
  const parts = (node: ArchNode | Record<string, unknown>, shape = [8, 8, 16]) => {
    const arch = assertArch(chain(shape, node as never));
    return { arch, ids: arch.nodes.map((n) => `${n.id}<${n.node.inputs.join(',')}`), totals: blockTotals(arch, 'b') };
  };

  it('basic: bn2 → drop_path → add; the same parameters as without', () => {
    const withDrop = parts({ id: 'b', op: 'basic', filters: 16, dropPath: 0.25 });
    expect(withDrop.ids.slice(-3)).toEqual(['b/drop_path<b/bn2', 'b/add<b/drop_path,input', 'b<b/add']);
    expect(withDrop.arch.nodes.find((n) => n.id === 'b/drop_path')?.node).toEqual({
      id: 'b/drop_path',
      op: 'drop_path',
      inputs: ['b/bn2'],
      rate: 0.25,
    });
    expect(withDrop.totals.trainable).toBe(parts({ id: 'b', op: 'basic', filters: 16 }).totals.trainable);
    expect(withDrop.totals.trainable).toBe(2 * 9 * 16 * 16 + 2 * 32);
  });

  it('dropPath 0 (the default) adds nothing: the same expansion as a block without it', () => {
    expect(parts({ id: 'b', op: 'basic', filters: 16, dropPath: 0 }).ids).toEqual(
      parts({ id: 'b', op: 'basic', filters: 16 }).ids,
    );
  });

  it('bottleneck with a projection: the drop-path is on the branch, the shortcut is kept', () => {
    const { ids } = parts({ id: 'b', op: 'bottleneck', filters: 32, width: 8, groups: 2, dropPath: 0.1 });
    expect(ids.slice(-5)).toEqual([
      'b/drop_path<b/bn3',
      'b/proj<input',
      'b/proj_bn<b/proj',
      'b/add<b/drop_path,b/proj_bn',
      'b<b/add',
    ]);
  });

  it('after the branch attention module (SE-ResNet with stochastic depth, as timm orders them)', () => {
    const { ids } = parts({ id: 'b', op: 'basic', filters: 16, attention: 'se', dropPath: 0.1 });
    expect(ids.filter((s) => s.startsWith('b/drop_path') || s.startsWith('b/add'))).toEqual([
      'b/drop_path<b/se',
      'b/add<b/drop_path,input',
    ]);
  });

  it('inverted residual: only with a shortcut (stride 1, channels kept)', () => {
    const kept = parts({ id: 'b', op: 'inverted_residual', filters: 16, expansion: 2, dropPath: 0.3 });
    expect(kept.ids.slice(-2)).toEqual(['b/drop_path<b/project_bn', 'b<input,b/drop_path']);
    const strided = parts({ id: 'b', op: 'inverted_residual', filters: 16, expansion: 2, stride: 2, dropPath: 0.3 });
    expect(strided.totals.ops).not.toContain('drop_path');
  });

  it('a rate of 1 is an issue of the block attribute', () => {
    expect(validateArch(chain([8, 8, 16], { id: 'b', op: 'basic', filters: 16, dropPath: 1 } as never))).toEqual([
      { path: 'nodes[0] (id "b").dropPath', message: 'expected a number in [0, 1), got 1' },
    ]);
  });
});
