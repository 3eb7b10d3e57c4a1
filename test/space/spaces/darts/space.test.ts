import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OptionsError } from '../../../../src/core/errors.js';
import { Rng } from '../../../../src/core/rng.js';
import { archKey, assertArch } from '../../../../src/space/index.js';
import { DARTS_V2, type DartsEdge, type DartsSample } from '../../../../src/space/spaces/darts/index.js';
import { darts } from './helpers.js';

const FC = { seed: 7, numRuns: 60 } as const;
const space = darts();
const tiny = darts({ nodes: 2, layers: 3, channels: 4, ops: ['skip_connect', 'sep_conv_3x3'] });

const edgeChanges = (a: DartsSample, b: DartsSample): number =>
  (['normal', 'reduce'] as const).reduce(
    (sum, cell) => sum + a[cell].filter((e, j) => JSON.stringify(e) !== JSON.stringify(b[cell][j])).length,
    0,
  );
/** Swaps the two edges of every node. */
const swapped = (s: DartsSample): DartsSample => {
  const swap = (edges: readonly DartsEdge[]): DartsEdge[] => edges.map((_, j) => edges[j ^ 1] as DartsEdge);
  return { normal: swap(s.normal), reduce: swap(s.reduce) };
};

describe('darts space: counting', () => {
  it('size is (∏_{k=2}^{B+1} C(k,2) · |ops|²)² = (1·3·6·10 · 7⁸)² for the defaults', () => {
    expect(space.size()).toBe((180n * 7n ** 8n) ** 2n);
    expect(space.size()).toBe(1_076_746_950_455_072_400n);
    expect(darts({ nodes: 5, ops: ['none', 'skip_connect', 'max_pool_3x3'] }).size()).toBe(
      (1n * 3n * 6n * 10n * 15n * 2n ** 10n) ** 2n,
    );
  });

  it('size matches a brute-force count of the tiny space (B = 2, 2 ops): 2,304 architectures, 16 spellings each', () => {
    const dims = tiny.dimensions();
    const half = dims.length / 2;
    const vectors = (from: number, to: number): number[][] =>
      dims.slice(from, to).reduce<number[][]>((acc, d) => acc.flatMap((v) => d.choices.map((_, c) => [...v, c])), [[]]);
    const decodes = (v: number[]): boolean => {
      try {
        tiny.decode(v);
        return true;
      } catch {
        return false;
      }
    };
    const anyReduce = tiny.encode(tiny.sample(new Rng(0))).slice(half);
    const normals = vectors(0, half).filter((v) => decodes([...v, ...anyReduce]));
    const anyNormal = normals[0] ?? [];
    const reduces = vectors(half, dims.length).filter((v) => decodes([...anyNormal, ...v]));
    const byKey = new Map<string, DartsSample>();
    for (const n of normals)
      for (const r of reduces) {
        const s = tiny.decode([...n, ...r]);
        byKey.set(tiny.key(s), s);
      }
    const valid = normals.length * reduces.length;
    expect(tiny.size()).toBe((1n * 4n * (3n * 4n)) ** 2n);
    expect(byKey.size).toBe(2_304);
    expect(new Set([...byKey.values()].map((s) => archKey(tiny.freeze(s)))).size).toBe(2_304);
    expect(valid).toBe(2_304 * 2 ** 4);
  });

  it('labels decisions by cell, node (numbered as states, from 2), op/in and edge', () => {
    const dims = space.dimensions();
    expect(dims.length).toBe(2 * 4 * 4);
    expect(dims.slice(0, 6).map((d) => d.label)).toEqual([
      'normal.node2.op0',
      'normal.node2.in0',
      'normal.node2.op1',
      'normal.node2.in1',
      'normal.node3.op0',
      'normal.node3.in0',
    ]);
    expect(dims[16]?.label).toBe('reduce.node2.op0');
    expect(dims[0]?.choices).toEqual([
      'max_pool_3x3',
      'avg_pool_3x3',
      'skip_connect',
      'sep_conv_3x3',
      'sep_conv_5x5',
      'dil_conv_3x3',
      'dil_conv_5x5',
    ]);
    expect(dims.find((d) => d.label === 'normal.node5.in1')?.choices).toEqual([0, 1, 2, 3, 4]);
    expect(space.encode(DARTS_V2).slice(0, 8)).toEqual([3, 0, 3, 1, 3, 0, 3, 1]);
  });

  it('relaxation: 14 edges per cell (j → k for j < k), each with the whole op set, none included', () => {
    const r = space.relaxation();
    expect(r.cells.map((c) => c.name)).toEqual(['normal', 'reduce']);
    for (const cell of r.cells) {
      expect(cell.edges.length).toBe(14);
      expect(cell.edges.every((e) => e.from < e.to && e.to >= 2 && e.to <= 5)).toBe(true);
      expect(new Set(cell.edges.map((e) => e.id)).size).toBe(14);
      expect(cell.edges.every((e) => e.ops.length === 8 && e.ops[0] === 'none')).toBe(true);
    }
    expect(r.cells[0]?.edges[2]).toEqual({ id: 'normal.node3.from0', from: 0, to: 3, ops: expect.any(Array) });
  });
});

describe('darts space: moves', () => {
  it('neighbours: every one-edge change (op or input), Σ 2·((|ops|−1) + (k−2)) per cell = 120, all distinct architectures', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const s = space.sample(new Rng(seed));
        const ns = space.neighbours(s);
        expect(ns.length).toBe(2 * [2, 3, 4, 5].reduce((sum, k) => sum + 2 * (6 + (k - 2)), 0));
        expect(ns.length).toBe(120);
        const keys = new Set(ns.map((n) => space.key(n)));
        expect(keys.size).toBe(120);
        expect(keys.has(space.key(s))).toBe(false);
        expect(ns.every((n) => edgeChanges(s, n) === 1)).toBe(true);
      }),
      FC,
    );
  });

  it("mutate changes one edge (an op, or an input, possibly past the other edge's) and is seeded", () => {
    let passed = 0;
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const s = space.sample(new Rng(seed));
        const m = space.mutate(s, new Rng(`m${seed}`));
        expect(edgeChanges(s, m)).toBe(1);
        expect(space.mutate(s, new Rng(`m${seed}`))).toEqual(m);
        const unordered = (edges: readonly DartsEdge[]): boolean =>
          edges.some((e, j) => j % 2 === 1 && e[1] < (edges[j - 1] as DartsEdge)[1]);
        if (unordered(m.normal) || unordered(m.reduce)) passed++;
      }),
      { seed: 7, numRuns: 300 },
    );
    expect(passed).toBeGreaterThan(0);
    const single = darts({ nodes: 1, ops: ['skip_connect'] });
    expect(single.size()).toBe(1n);
    expect(() => single.mutate(single.sample(new Rng(1)), new Rng(1))).toThrow(/single sample/);
  });

  it('crossover takes the normal cell of one parent and the reduction cell of the other', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer(), (x, y) => {
        const [a, b] = [space.sample(new Rng(x)), space.sample(new Rng(`b${y}`))];
        const child = space.crossover(a, b, new Rng(x + y));
        const fromA = child.normal === a.normal;
        expect(child.normal).toBe(fromA ? a.normal : b.normal);
        expect(child.reduce).toBe(fromA ? b.reduce : a.reduce);
      }),
      FC,
    );
  });

  it("sample gives the canonical spelling (each node's edges by input) and covers every op", () => {
    const rng = new Rng('cover');
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const s = space.sample(rng);
      for (const cell of [s.normal, s.reduce]) {
        for (let j = 0; j < cell.length; j += 2)
          expect((cell[j] as DartsEdge)[1]).toBeLessThan((cell[j + 1] as DartsEdge)[1]);
        cell.forEach(([op]) => seen.add(op));
      }
    }
    expect(seen).toEqual(new Set(space.dimensions()[0]?.choices));
  });
});

describe('darts space: keys and architectures', () => {
  it('both edge orders of a node are one architecture: same key, same frozen spec', () => {
    expect(space.key(swapped(DARTS_V2))).toBe(space.key(DARTS_V2));
    expect(archKey(space.freeze(swapped(DARTS_V2)))).toBe(archKey(space.freeze(DARTS_V2)));
    expect(space.format(swapped(DARTS_V2))).not.toBe(space.format(DARTS_V2));
  });

  it('equal keys exactly when the frozen architectures are equal (pairs from the tiny space)', () => {
    let equal = 0;
    fc.assert(
      fc.property(fc.integer(), fc.integer(), fc.boolean(), (x, y, swap) => {
        const a = tiny.sample(new Rng(x));
        const b = swap ? swapped(tiny.sample(new Rng(y))) : tiny.sample(new Rng(y));
        const sameKey = tiny.key(a) === tiny.key(b);
        expect(archKey(tiny.freeze(a)) === archKey(tiny.freeze(b))).toBe(sameKey);
        if (sameKey) equal++;
      }),
      { seed: 3, numRuns: 300, examples: [[5, 5, true]] },
    );
    expect(equal).toBeGreaterThan(0);
  });
});

describe('darts network', () => {
  const arch = assertArch(space.freeze(DARTS_V2), { inputShape: [32, 32, 3], classes: 10 });
  const shape = (id: string): readonly number[] | undefined => arch.nodes.find((n) => n.id === id)?.shape;
  const node = (id: string) => arch.nodes.find((n) => n.id === id)?.node;

  it('reduces at cells ⌊L/3⌋ = 2 and ⌊2L/3⌋ = 5, doubling channels (outputs B·C)', () => {
    expect(['stem_bn', 'c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'].map(shape)).toEqual([
      [32, 32, 48],
      [32, 32, 64],
      [32, 32, 64],
      [16, 16, 128],
      [16, 16, 128],
      [16, 16, 128],
      [8, 8, 256],
      [8, 8, 256],
      [8, 8, 256],
    ]);
  });

  it('the cell after a reduction reduces its first input with a FactorizedReduce; skip_connect at stride 2 is one too', () => {
    expect(arch.nodes.filter((n) => n.node.op === 'concat' && n.block !== undefined).map((n) => n.block)).toEqual([
      'c3.pre0',
      'c6.pre0',
    ]);
    expect(node('c1.pre0.conv')).toMatchObject({ op: 'conv', kernel: 1, filters: 16, bias: false });
    const v1 = assertArch(
      space.freeze({ ...DARTS_V2, reduce: [['skip_connect', 0], ['max_pool_3x3', 1], ...DARTS_V2.reduce.slice(2)] }),
      { inputShape: [32, 32, 3], classes: 10 },
    );
    expect(v1.nodes.find((n) => n.id === 'c2.n2.e0')?.block).toBe('c2.n2.e0');
    expect(v1.nodes.find((n) => n.id === 'c2.n2.e0/conv_a')?.node).toMatchObject({ stride: 2, filters: 16 });
  });

  it('pools of a reduction cell: 3×3 stride 2 padding 1, average without the padding', () => {
    expect(node('c2.n2.e0')).toMatchObject({ op: 'maxpool', kernel: 3, stride: 2, padding: 1 });
    const avg = space.freeze({ ...DARTS_V2, reduce: [['avg_pool_3x3', 0], ...DARTS_V2.reduce.slice(1)] });
    expect(avg.nodes.find((n) => n.id === 'c2.n2.e0')).toMatchObject({
      op: 'avgpool',
      stride: 2,
      padding: 1,
      includePad: false,
    });
  });

  it('a strided dil_conv: dw 3×3 with stride 2 and dilation 2, padding 2, then the pointwise conv', () => {
    const spec = space.freeze({ ...DARTS_V2, reduce: [['dil_conv_3x3', 0], ...DARTS_V2.reduce.slice(1)] });
    const byId = (id: string) => spec.nodes.find((n) => n.id === id);
    expect(byId('c2.n2.e0.dw')).toMatchObject({
      op: 'dwconv',
      kernel: 3,
      dilation: 2,
      padding: 2,
      stride: 2,
      bias: false,
    });
    expect(byId('c2.n2.e0.pw')).toMatchObject({ op: 'conv', kernel: 1, stride: 1, bias: false });
    expect(
      assertArch(spec, { inputShape: [32, 32, 3], classes: 10 }).nodes.find((n) => n.id === 'c2.n2.e0')?.shape,
    ).toEqual([16, 16, 32]);
  });

  it("never freezes a zero op; the head is GAP then a dense layer of the data set's classes", () => {
    expect(arch.nodes.some((n) => n.node.op === 'zero')).toBe(false);
    expect(node('classifier')).toMatchObject({ op: 'dense', units: 10 });
    expect(space.freeze(DARTS_V2).input).toBeUndefined();
  });

  it('B = 1 makes the single node the cell output', () => {
    const one = darts({ nodes: 1, layers: 3 });
    const spec = one.freeze({
      normal: [
        ['sep_conv_3x3', 0],
        ['skip_connect', 1],
      ],
      reduce: [
        ['max_pool_3x3', 0],
        ['avg_pool_3x3', 1],
      ],
    });
    expect(spec.nodes.find((n) => n.id === 'c0')).toMatchObject({ op: 'identity', inputs: ['c0.n2'] });
    expect(assertArch(spec, { inputShape: [16, 16, 3], classes: 10 }).outputs).toEqual(['classifier']);
  });
});

describe('darts options', () => {
  it('an op set of none alone fails when the space is made, naming what it got', () => {
    expect(() => darts({ ops: ['none'] })).toThrow(OptionsError);
    expect(() => darts({ ops: ['none'] })).toThrow('got [none]');
  });

  it('unknown op names fail in the options check, with the known ones listed', () => {
    expect(() => darts({ ops: ['sep_conv_3x3', 'conv_9x9'] })).toThrow(
      /ops: expected a non-empty list of distinct values from none, max_pool_3x3/,
    );
  });
});
