// BatchNorm folding (src/eval/fold.ts, design part 5.2): every case builds the eager model, gives its
// BN layers non-trivial statistics and γ/β (and its biases non-zero values) from a seeded Rng, folds,
// builds the folded model with the folded weights and compares `predict` (inference mode) on seeded
// random inputs. Largest absolute output difference measured, against the 1e-4 allowed: 3.8e-6 in
// the hand-written cases (outputs up to |13|) and 9.5e-6 in the sampled networks (an NB201 sample
// whose outputs reach |77|: 1.2e-7 relative, float32 rounding). The BNs left unfolded there read an
// add (NB201's last BN, layerwise sums), a concat (the factorized reduce of DARTS and layerwise) or a
// pool (layerwise). ~1.5 s.
import { randomised } from './export/helpers.js';
import { describe, expect, it } from 'vitest';
import type { LayersModel, Tensor } from '@tensorflow/tfjs-node';
import type { ArchNode, Json, Shape } from '../../src/core/arch.js';
import { Rng } from '../../src/core/rng.js';
import { loadTf } from '../../src/backend/tf.js';
import { buildModel, layerNames } from '../../src/eval/build/build-model.js';
import { foldBatchNorm, modelWeights, setModelWeights, type FoldResult } from '../../src/eval/fold.js';
import { assertArch, type ResolvedArch } from '../../src/space/index.js';
import type { SearchSpace } from '../../src/space/search-space.js';
import { createSpace } from '../../src/space/spaces/index.js';
import { maxDifference } from './compile/helpers.js';

const tf = loadTf();
const TOLERANCE = 1e-4;

const params = (arch: ResolvedArch) => arch.nodes.reduce((s, n) => s + n.params.trainable + n.params.nonTrainable, 0);
const bnCount = (arch: ResolvedArch) => arch.nodes.filter((n) => n.node.op === 'bn').length;

type Checked = { readonly result: FoldResult; readonly diff: number };

/** Builds, randomises, folds and compares outputs; checks shapes, BN count, parameter counts and weight names. */
function check(arch: ResolvedArch, seed: number): Checked {
  const models: LayersModel[] = [];
  const x = tf.randomNormal([3, ...arch.inputShape], 0, 1, 'float32', seed);
  try {
    const model = buildModel(arch, { seed });
    models.push(model);
    const weights = randomised(modelWeights(model), seed);
    setModelWeights(model, weights);
    const result = foldBatchNorm(arch, weights);
    const folded = buildModel(result.arch, { seed: seed + 1 });
    models.push(folded);
    // Throws unless the folded weights are exactly the folded model's, by name and shape.
    setModelWeights(folded, result.weights);

    const [a, b] = [model, folded].map((m) => tf.tidy(() => (m.predict(x) as Tensor).dataSync()));
    expect(folded.outputs[0]?.shape).toEqual(model.outputs[0]?.shape);
    expect(result.arch.nodes.at(-1)?.shape).toEqual(arch.nodes.at(-1)?.shape);
    expect(bnCount(result.arch)).toBe(bnCount(arch) - result.folded.length);
    expect(model.countParams() - folded.countParams()).toBe(params(arch) - params(result.arch));
    const diff = maxDifference(a as Float32Array, b as Float32Array).abs;
    expect(diff).toBeLessThanOrEqual(TOLERANCE);
    return { result, diff };
  } finally {
    x.dispose();
    for (const m of models) m.dispose();
  }
}

/** What folding saves: 4C per BN of C channels (2C without γ, β), less C per producer that gains a bias. */
function saved(arch: ResolvedArch, result: FoldResult): number {
  const byId = new Map(arch.nodes.map((n) => [n.id, n]));
  const channels = (id: string) => byId.get(id)?.shape.at(-1) as number;
  const bns = result.folded.reduce((sum, { bn }) => {
    const node = byId.get(bn)?.node;
    return sum + (node?.op === 'bn' && node.affine === false ? 2 : 4) * channels(bn);
  }, 0);
  const producers = new Set(result.folded.map(({ into }) => into));
  const biases = [...producers].reduce((sum, id) => {
    const node = byId.get(id)?.node;
    return sum + (node !== undefined && 'bias' in node && node.bias === false ? channels(id) : 0);
  }, 0);
  return bns - biases;
}

const spec = (nodes: ArchNode[], output: string, inputShape: Shape = [8, 8, 4]) =>
  assertArch({ version: 1, nodes, output }, { inputShape, classes: 5 });

describe('foldBatchNorm: one producer + BN', () => {
  const cases: [string, ResolvedArch, [string, string][]][] = [
    [
      'conv + bn + relu',
      spec(
        [
          { id: 'conv', op: 'conv', inputs: ['input'], filters: 6, kernel: 3, padding: 'same' },
          { id: 'bn', op: 'bn', inputs: ['conv'] },
          { id: 'relu', op: 'act', fn: 'relu', inputs: ['bn'] },
        ],
        'relu',
      ),
      [['bn', 'conv']],
    ],
    [
      'conv without bias + bn (the output)',
      spec(
        [
          { id: 'conv', op: 'conv', inputs: ['input'], filters: 6, kernel: 3, stride: 2, padding: 1, bias: false },
          { id: 'bn', op: 'bn', inputs: ['conv'], epsilon: 1e-3 },
        ],
        'bn',
      ),
      [['bn', 'conv']],
    ],
    [
      'grouped conv + bn',
      spec(
        [
          { id: 'conv', op: 'conv', inputs: ['input'], filters: 6, kernel: 3, groups: 2, padding: 'same', bias: false },
          { id: 'bn', op: 'bn', inputs: ['conv'] },
        ],
        'bn',
      ),
      [['bn', 'conv']],
    ],
    [
      'dwconv (multiplier 2) + bn',
      spec(
        [
          { id: 'dw', op: 'dwconv', inputs: ['input'], kernel: 3, multiplier: 2, padding: 'same' },
          { id: 'bn', op: 'bn', inputs: ['dw'] },
          { id: 'relu', op: 'act', fn: 'relu6', inputs: ['bn'] },
        ],
        'relu',
      ),
      [['bn', 'dw']],
    ],
    [
      'sepconv + bn',
      spec(
        [
          {
            id: 'sep',
            op: 'sepconv',
            inputs: ['input'],
            filters: 5,
            kernel: 5,
            multiplier: 2,
            padding: 'same',
            bias: false,
          },
          { id: 'bn', op: 'bn', inputs: ['sep'] },
        ],
        'bn',
      ),
      [['bn', 'sep']],
    ],
    [
      'dense + bn (rank 2)',
      spec(
        [
          { id: 'fc', op: 'dense', inputs: ['input'], units: 7 },
          { id: 'bn', op: 'bn', inputs: ['fc'] },
          { id: 'logits', op: 'dense', inputs: ['bn'], units: 'classes', bias: false },
          { id: 'bn2', op: 'bn', inputs: ['logits'] },
        ],
        'bn2',
        [12],
      ),
      [
        ['bn', 'fc'],
        ['bn2', 'logits'],
      ],
    ],
    [
      'bn with affine: false',
      spec(
        [
          { id: 'conv', op: 'conv', inputs: ['input'], filters: 6, kernel: 1, bias: false },
          { id: 'bn', op: 'bn', inputs: ['conv'], affine: false },
        ],
        'bn',
      ),
      [['bn', 'conv']],
    ],
    [
      'a chain conv + bn + bn folds both',
      spec(
        [
          { id: 'conv', op: 'conv', inputs: ['input'], filters: 6, kernel: 3, padding: 'same', bias: false },
          { id: 'bn1', op: 'bn', inputs: ['conv'] },
          { id: 'bn2', op: 'bn', inputs: ['bn1'], affine: false, epsilon: 1e-3 },
          { id: 'relu', op: 'act', fn: 'relu', inputs: ['bn2'] },
        ],
        'relu',
      ),
      [
        ['bn1', 'conv'],
        ['bn2', 'conv'],
      ],
    ],
    [
      'a bn read by a bn and an act: only the first folds',
      spec(
        [
          { id: 'conv', op: 'conv', inputs: ['input'], filters: 6, kernel: 3, padding: 'same' },
          { id: 'bn1', op: 'bn', inputs: ['conv'] },
          { id: 'bn2', op: 'bn', inputs: ['bn1'] },
          { id: 'relu', op: 'act', fn: 'relu', inputs: ['bn1'] },
          { id: 'add', op: 'add', inputs: ['bn2', 'relu'] },
        ],
        'add',
      ),
      [['bn1', 'conv']],
    ],
    [
      'a conv also read by an add (must not fold)',
      spec(
        [
          { id: 'conv', op: 'conv', inputs: ['input'], filters: 4, kernel: 3, padding: 'same' },
          { id: 'bn', op: 'bn', inputs: ['conv'] },
          { id: 'add', op: 'add', inputs: ['bn', 'conv'] },
        ],
        'add',
      ),
      [],
    ],
    [
      'a bn reading an add (must not fold)',
      spec(
        [
          { id: 'a', op: 'conv', inputs: ['input'], filters: 4, kernel: 3, padding: 'same' },
          { id: 'b', op: 'conv', inputs: ['input'], filters: 4, kernel: 1 },
          { id: 'add', op: 'add', inputs: ['a', 'b'] },
          { id: 'bn', op: 'bn', inputs: ['add'] },
        ],
        'bn',
      ),
      [],
    ],
    [
      'shared weights: neither the owner nor the sharer folds',
      spec(
        [
          { id: 'c1', op: 'conv', inputs: ['input'], filters: 4, kernel: 3, padding: 'same' },
          { id: 'bn1', op: 'bn', inputs: ['c1'] },
          { id: 'c2', op: 'conv', inputs: ['bn1'], filters: 4, kernel: 3, padding: 'same', weightsOf: 'c1' },
          { id: 'bn2', op: 'bn', inputs: ['c2'] },
        ],
        'bn2',
      ),
      [],
    ],
  ];

  it.each(cases)('%s', (_, arch, pairs) => {
    const { result } = check(arch, 11);
    expect(result.folded.map(({ bn, into }) => [bn, into])).toEqual(pairs);
    expect(params(arch) - params(result.arch)).toBe(saved(arch, result));
    const before = layerNames(arch).byNode;
    const after = layerNames(result.arch).byNode;
    for (const [id, name] of after) expect(name).toBe(before.get(id));
    for (const { into } of result.folded)
      expect(result.arch.nodes.find((n) => n.id === into)?.node).toMatchObject({ bias: true });
  });

  it('renames block parts (ids without "/") and maps weights by node id when layer names swap', () => {
    // "b/conv1" has layer name "b_conv1"; the later top-level "b_conv1" gets "b_conv1_2". In the
    // folded spec the part becomes "b_conv1_2" (its own name is the top-level node's id), so the
    // two layer names swap; the weights must follow the nodes, not the names.
    const arch = spec(
      [
        { id: 'b', op: 'basic', inputs: ['input'], filters: 6, stride: 2 },
        { id: 'b_conv1', op: 'conv', inputs: ['b'], filters: 4, kernel: 1, bias: false },
        { id: 'bn', op: 'bn', inputs: ['b_conv1'] },
      ],
      'bn',
    );
    const { result } = check(arch, 12);
    expect(result.folded).toContainEqual({ bn: 'b/bn1', into: 'b/conv1' });
    expect(result.folded).toContainEqual({ bn: 'bn', into: 'b_conv1' });
    expect(result.ids.get('b/conv1')).toBe('b_conv1_2');
    expect(result.ids.get('b_conv1')).toBe('b_conv1');
    expect(layerNames(result.arch).byNode.get('b_conv1_2')).toBe('b_conv1_2');
    expect(layerNames(arch).byNode.get('b/conv1')).toBe('b_conv1');
    expect(result.arch.nodes.every((n) => !n.id.includes('/'))).toBe(true);
  });
});

/** Small variants (test/eval/compile/spaces-*.slow.test.ts); layerwise's merges are taken in turn. */
const SPACES: readonly (readonly [string, readonly SearchSpace[]])[] = [
  ['nb201', [createSpace('nb201', { cells: 1, channels: 4 })]],
  ['darts', [createSpace('darts', { layers: 3, nodes: 4, channels: 4 })]],
  [
    'macro',
    [
      createSpace('macro', {
        stem: 'conv3x3',
        stemChannels: 8,
        stageWidths: [8, 16, 16],
        widthMultipliers: ['0.5', '1'],
        divisor: 4,
        kernels: [3, 5],
        expansions: [1, 2, 4],
        depths: [1, 2],
        strides: [1, 2],
        head: 'classifier',
      }),
    ],
  ],
  [
    'layerwise',
    (['sum', 'concat'] as const).map((merge) =>
      createSpace('layerwise', { layers: 6, channels: 4, reductions: [1, 3], merge }),
    ),
  ],
];

describe('foldBatchNorm: sampled networks of every space', () => {
  const cases = SPACES.flatMap(([name, spaces]) =>
    [1, 2, 3].map((seed) => {
      const space = spaces[seed % spaces.length] as SearchSpace;
      const sample: Json = space.sample(new Rng(`${name}-${seed}`));
      return [
        `${name} #${seed}`,
        assertArch(space.freeze(sample), { inputShape: [16, 16, 3], classes: 10 }),
        seed,
      ] as const;
    }),
  );

  it.each(cases)('%s', (_, arch, seed) => {
    const { result } = check(arch, seed);
    expect(result.folded.length).toBeGreaterThan(0);
    expect(params(arch) - params(result.arch)).toBe(saved(arch, result));
    // Nothing foldable is left: folding again changes nothing.
    expect(foldBatchNorm(result.arch, result.weights).folded).toEqual([]);
    // No id collides here, so every remaining node keeps its layer name.
    const before = layerNames(arch).byNode;
    const after = layerNames(result.arch).byNode;
    for (const [id, newId] of result.ids) expect(after.get(newId)).toBe(before.get(id));
  });
});

describe('modelWeights / setModelWeights', () => {
  const arch = spec(
    [
      { id: 'conv', op: 'conv', inputs: ['input'], filters: 4, kernel: 3, padding: 'same' },
      { id: 'bn', op: 'bn', inputs: ['conv'] },
    ],
    'bn',
  );

  it('round-trip every weight by originalName, moving statistics included, without leaking tensors', () => {
    const before = tf.memory().numTensors;
    const model = buildModel(arch, { seed: 1 });
    const weights = randomised(modelWeights(model), 3);
    expect([...weights.keys()]).toEqual([
      'conv/kernel',
      'conv/bias',
      'bn/gamma',
      'bn/beta',
      'bn/moving_mean',
      'bn/moving_variance',
    ]);
    setModelWeights(model, weights);
    expect(modelWeights(model)).toEqual(weights);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuse a map with a missing, mis-shaped or unknown weight, and a fold without the BN statistics', () => {
    const model = buildModel(arch, { seed: 1 });
    try {
      const weights = modelWeights(model);
      const missing = new Map(weights);
      missing.delete('bn/moving_mean');
      expect(() => setModelWeights(model, missing)).toThrow(/bn\/moving_mean: missing/);
      expect(() => foldBatchNorm(arch, missing)).toThrow(/cannot fold "bn": missing weights moving_mean/);
      const bad = new Map(weights).set('conv/bias', { shape: [3], data: new Float32Array(3) });
      expect(() => setModelWeights(model, bad)).toThrow(/conv\/bias: shape \[3\]/);
      const extra = new Map(weights).set('other/kernel', { shape: [1], data: new Float32Array(1) });
      expect(() => setModelWeights(model, extra)).toThrow(/other\/kernel: the model has no such weight/);
      expect(() => foldBatchNorm(arch, extra)).toThrow(/layer "other" belong to no node/);
    } finally {
      model.dispose();
    }
  });
});
