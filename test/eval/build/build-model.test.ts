import type { LayersModel } from '@tensorflow/tfjs-node';
import { describe, expect, it } from 'vitest';
import type { ArchNode, Json, OpName, Shape } from '../../../src/core/arch.js';
import { buildModel } from '../../../src/eval/build/build-model.js';
import { archKey, ops } from '../../../src/space/index.js';
import { costTotal, resolve, spec } from './helpers.js';

const MAP: Shape = [6, 6, 4];

function withBuilt<T>(
  nodes: readonly ArchNode[],
  input: Shape,
  seed: string | number,
  fn: (m: LayersModel) => T,
  init?: 'he' | 'glorot',
  output?: string | readonly string[],
): T {
  const arch = resolve(nodes, input, output === undefined ? { classes: 3 } : { classes: 3, output });
  const model = buildModel(arch, init === undefined ? { seed } : { seed, init });
  try {
    expect(model.countParams()).toBe(costTotal(arch));
    return fn(model);
  } finally {
    model.dispose();
  }
}

const weightsOf = (m: LayersModel): Float32Array[] => m.getWeights().map((w) => w.dataSync() as Float32Array);

describe('seeded initialisation: one seed, one network', () => {
  const NODES: ArchNode[] = [
    { id: 'c', op: 'conv', inputs: ['input'], filters: 4, kernel: 3, groups: 2, padding: 1 },
    { id: 's', op: 'sepconv', inputs: ['c'], filters: 4, kernel: 3, padding: 'same' },
    { id: 'd', op: 'deconv', inputs: ['s'], filters: 2, kernel: 2, stride: 2 },
    { id: 'g', op: 'gap', inputs: ['d'] },
    { id: 'logits', op: 'dense', inputs: ['g'], units: 'classes' },
  ];
  const kernels = (seed: string, init?: 'he' | 'glorot') =>
    withBuilt(
      NODES,
      MAP,
      seed,
      (m) =>
        m.weights
          .map((w, i) => ({ name: w.originalName, values: weightsOf(m)[i] ?? new Float32Array() }))
          .filter((w) => w.name.includes('kernel')),
      init,
    );

  it('gives equal weights for equal seeds and different kernels for other seeds or schemes', () => {
    const a = kernels('a');
    expect(a.map((w) => w.name)).toEqual(['c/kernel', 's/kernel', 's/pointwise_kernel', 'd/kernel', 'logits/kernel']);
    expect(kernels('a')).toEqual(a);
    kernels('b').forEach((w, i) => expect(w.values, w.name).not.toEqual(a[i]?.values));
    kernels('a', 'glorot').forEach((w, i) => expect(w.values, w.name).not.toEqual(a[i]?.values));
  });
});

/** Values for the required attributes (and the inputs) of each op whose schema has defaults. */
const REQUIRED: Partial<
  Record<OpName, { attrs: Record<string, Json>; input?: Shape; inputs?: string[]; output?: string[] }>
> = {
  conv: { attrs: { filters: 3, kernel: 3 } },
  dwconv: { attrs: { kernel: 3 } },
  sepconv: { attrs: { filters: 3, kernel: 3 } },
  deconv: { attrs: { filters: 3, kernel: 3 } },
  maxpool: { attrs: { kernel: 2 } },
  avgpool: { attrs: { kernel: 2 } },
  bn: { attrs: {} },
  dense: { attrs: { units: 3 }, input: [5] },
  zero: { attrs: {} },
  upsample: { attrs: { scale: 2 } },
  basic: { attrs: { filters: 4 } },
  bottleneck: { attrs: { filters: 8 } },
  inverted_residual: { attrs: { filters: 4, expansion: 2 } },
  se: { attrs: {} },
  cbam: { attrs: {} },
  fpn: { attrs: { filters: 4 }, inputs: ['input', 'half'], output: ['x', 'x/out1'] },
  factorized_reduce: { attrs: { filters: 4 } },
};

const withDefaults = Object.entries(ops).filter(([, def]) =>
  Object.values(def.attrs).some((a) => a.default !== undefined),
);

describe('a node without an attribute builds what the catalog default spelled out builds (archKey calls them equal)', () => {
  it('the table covers every op with defaults', () => {
    expect(withDefaults.map(([op]) => op).sort()).toEqual(Object.keys(REQUIRED).sort());
  });

  const cases = withDefaults.map(([op, def]) => {
    const r = REQUIRED[op as OpName] ?? { attrs: {} };
    const defaults = Object.fromEntries(
      Object.entries(def.attrs).flatMap(([k, a]) => (a.default === undefined ? [] : [[k, a.default]])),
    );
    const before: ArchNode[] =
      r.inputs?.includes('half') === true ? [{ id: 'half', op: 'maxpool', inputs: ['input'], kernel: 2 }] : [];
    const node = (attrs: Record<string, Json>) => [
      ...before,
      { id: 'x', op, inputs: r.inputs ?? ['input'], ...attrs } as unknown as ArchNode,
    ];
    return {
      op,
      implicit: node(r.attrs),
      explicit: node({ ...r.attrs, ...defaults }),
      input: r.input ?? MAP,
      output: r.output ?? 'x',
    };
  });
  type DefaultsCase = (typeof cases)[number];
  const check = (c: DefaultsCase) => {
    expect(archKey(spec(c.implicit, c.output))).toBe(archKey(spec(c.explicit, c.output)));
    const config = (nodes: ArchNode[]) =>
      withBuilt(nodes, c.input, 1, (m) => m.toJSON(null, false), undefined, c.output);
    expect(config(c.implicit)).toEqual(config(c.explicit));
  };

  it.each(cases.map((c) => [c.op, c] as const))('%s', (_op, c) => check(c));
});

it('builds a valid spec whose ids differ only by "/" versus "_"', () => {
  const nodes: ArchNode[] = [
    { id: 'x_relu', op: 'act', inputs: ['input'], fn: 'relu' },
    { id: 'x', op: 'factorized_reduce', inputs: ['x_relu'], filters: 4 },
  ];
  withBuilt(nodes, MAP, 1, (m) => expect(m.layers.length).toBe(1 + 7));
});

/** The cost model counts only what the built model holds: nodes that reach no output are dropped. */
it('counts in the cost model only what the built model holds: an FPN whose coarser output is unused', () => {
  const nodes: ArchNode[] = [
    { id: 'half', op: 'maxpool', inputs: ['input'], kernel: 2 },
    { id: 'x', op: 'fpn', inputs: ['input', 'half'], filters: 4 },
  ];
  withBuilt(nodes, MAP, 1, () => undefined, undefined, 'x');
});

it('builds a cell that reads one tensor twice (NB201 skip, skip: add(x, x)) without freeing it before its other consumers', async () => {
  const { loadTf } = await import('../../../src/backend/tf.js');
  const { createSpace } = await import('../../../src/space/spaces/index.js');
  const { assertArch } = await import('../../../src/space/validate.js');
  const tf = loadTf();
  const space = createSpace('nb201', { cells: 1, channels: 4 });
  const sample = space.parse('|skip_connect~0|+|skip_connect~0|skip_connect~1|+|avg_pool_3x3~0|none~1|skip_connect~2|');
  const model = buildModel(assertArch(space.freeze(sample), { inputShape: [8, 8, 1], classes: 3 }), { seed: 1 });
  const input = tf.randomNormal([2, 8, 8, 1], 0, 1, 'float32', 5);
  try {
    const logits = tf.tidy(
      () =>
        (model.apply(input, { training: false }) as import('@tensorflow/tfjs-node').Tensor).arraySync() as number[][],
    );
    expect(logits.flat().every(Number.isFinite)).toBe(true);
  } finally {
    input.dispose();
    model.dispose();
  }
});
