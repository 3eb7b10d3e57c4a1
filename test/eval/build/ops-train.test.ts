import type { LayersModel, Tensor } from '@tensorflow/tfjs-node';
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, type ArchNode, type OpName, type Shape } from '../../../src/core/arch.js';
import { loadTf } from '../../../src/backend/tf.js';
import { buildModel } from '../../../src/eval/build/build-model.js';
import { MASK_LAYERS, seedDropout } from '../../../src/eval/train/plan.js';
import { ops } from '../../../src/space/index.js';
import { Rng, costTotal, costTrainable, modelTrainable, randomNd, resolve, toTensor } from './helpers.js';

const tf = loadTf();
const CLASSES = 3;
const BATCH = 2;
const MAP: Shape = [6, 6, 4];

/** One op under test: the node `x` (or block `x`) between the input (plus helper nodes) and a classifier head. */
interface Case {
  readonly name: string;
  readonly op: OpName;
  readonly input: Shape;
  readonly nodes: readonly ArchNode[];
  /** Weights whose gradient is zero by construction (they should not move). */
  readonly frozen?: readonly string[];
  /** The output does not depend on the input: the input gradient is all zeros. */
  readonly deadInput?: boolean;
  /** Architecture parameters for `mix` nodes (not weights of the model). */
  readonly alphas?: Readonly<Record<string, readonly (readonly number[])[]>>;
}

const gapHead = (...from: string[]): ArchNode[] => {
  const pooled = from.map((src, i): ArchNode => ({ id: `head_gap${i}`, op: 'gap', inputs: [src] }));
  const joined: ArchNode[] = from.length > 1 ? [{ id: 'head_cat', op: 'concat', inputs: pooled.map((n) => n.id) }] : [];
  const last = joined[0]?.id ?? pooled[0]?.id ?? '';
  return [...pooled, ...joined, { id: 'logits', op: 'dense', inputs: [last], units: 'classes' }];
};
const vecHead = (from: string): ArchNode[] => [{ id: 'logits', op: 'dense', inputs: [from], units: 'classes' }];

/** input → x → gap → dense; `attrs` are the node's own attributes. */
const onMap = (
  name: string,
  attrs: Omit<ArchNode, 'id' | 'inputs'> & Record<string, unknown>,
  input: Shape = MAP,
): Case => ({
  name,
  op: attrs.op,
  input,
  nodes: [{ id: 'x', inputs: ['input'], ...attrs } as ArchNode, ...gapHead('x')],
});

const CASES: Case[] = [
  onMap('conv 3×3 stride 2 padding 1', { op: 'conv', filters: 6, kernel: 3, stride: 2, padding: 1 }),
  onMap('conv groups 2, dilation 2, same', {
    op: 'conv',
    filters: 6,
    kernel: 3,
    groups: 2,
    dilation: 2,
    padding: 'same',
  }),
  onMap('conv depthwise filters = 2·C_in, no bias', {
    op: 'conv',
    filters: 8,
    kernel: 3,
    groups: 4,
    padding: 1,
    bias: false,
  }),
  onMap('dwconv multiplier 2 dilation 2', { op: 'dwconv', kernel: 3, multiplier: 2, dilation: 2, padding: 'same' }),
  onMap('sepconv multiplier 2 dilation 2', {
    op: 'sepconv',
    filters: 5,
    kernel: 3,
    multiplier: 2,
    dilation: 2,
    padding: [
      [2, 1],
      [2, 2],
    ],
  }),
  onMap('deconv stride 2 padding 1 outputPadding 1', {
    op: 'deconv',
    filters: 3,
    kernel: 3,
    stride: 2,
    padding: 1,
    outputPadding: 1,
  }),
  onMap('deconv dilation 2 same', { op: 'deconv', filters: 3, kernel: 3, dilation: 2, padding: 'same' }),
  onMap('maxpool 3×3 stride 2 padding 1', { op: 'maxpool', kernel: 3, stride: 2, padding: 1 }),
  onMap('avgpool 3×3 stride 1 padding 1 includePad false', {
    op: 'avgpool',
    kernel: 3,
    stride: 1,
    padding: 1,
    includePad: false,
  }),
  { name: 'gap', op: 'gap', input: MAP, nodes: [{ id: 'x', op: 'gap', inputs: ['input'] }, ...vecHead('x')] },
  { name: 'gmp', op: 'gmp', input: MAP, nodes: [{ id: 'x', op: 'gmp', inputs: ['input'] }, ...vecHead('x')] },
  onMap('channel_pool mean', { op: 'channel_pool', fn: 'mean' }),
  onMap('channel_pool max', { op: 'channel_pool', fn: 'max' }),
  onMap('bn', { op: 'bn' }),
  onMap('bn without affine parameters', { op: 'bn', affine: false }),
  {
    name: 'mix of three candidates (DARTS mixed op)',
    op: 'mix',
    input: MAP,
    nodes: [
      { id: 'a', op: 'conv', inputs: ['input'], filters: 4, kernel: 3, padding: 'same' },
      { id: 'b', op: 'avgpool', inputs: ['input'], kernel: 3, stride: 1, padding: 1 },
      { id: 'z', op: 'zero', inputs: ['input'] },
      { id: 'x', op: 'mix', inputs: ['a', 'b', 'z'], alpha: 'cell', edge: 1 },
      ...gapHead('x'),
    ],
    alphas: {
      cell: [
        [0, 0, 0],
        [0.5, -0.2, 0.1],
      ],
    },
  },
  ...ACTIVATIONS.map((fn) => onMap(`act ${fn}`, { op: 'act', fn })),
  onMap('act leaky_relu alpha 0.2', { op: 'act', fn: 'leaky_relu', alpha: 0.2 }),
  onMap('dropout 0.5', { op: 'dropout', rate: 0.5 }),
  onMap('drop_path 0.5', { op: 'drop_path', rate: 0.5 }),
  onMap('basic with drop-path on the branch', { op: 'basic', filters: 4, dropPath: 0.2 }),
  {
    name: 'dense',
    op: 'dense',
    input: MAP,
    nodes: [
      { id: 'pre', op: 'gap', inputs: ['input'] },
      { id: 'x', op: 'dense', inputs: ['pre'], units: 5 },
      ...vecHead('x'),
    ],
  },
  {
    name: 'flatten',
    op: 'flatten',
    input: MAP,
    nodes: [{ id: 'x', op: 'flatten', inputs: ['input'] }, ...vecHead('x')],
  },
  onMap('identity', { op: 'identity' }),
  // The head sees only zeros: its kernel's gradient is zero, only its bias moves.
  { ...onMap('zero', { op: 'zero' }), frozen: ['logits/kernel'], deadInput: true },
  { ...onMap('zero stride 2', { op: 'zero', stride: 2 }), frozen: ['logits/kernel'], deadInput: true },
  {
    name: 'zero stride 2 after a conv (DARTS reduction "none")',
    op: 'zero',
    input: MAP,
    nodes: [
      { id: 'pre', op: 'conv', inputs: ['input'], filters: 4, kernel: 3, padding: 1 },
      { id: 'x', op: 'zero', inputs: ['pre'], stride: 2 },
      { id: 'side', op: 'maxpool', inputs: ['pre'], kernel: 2 },
      { id: 'join', op: 'add', inputs: ['x', 'side'] },
      ...gapHead('join'),
    ],
  },
  onMap('crop [[1,0],[0,2]]', {
    op: 'crop',
    crop: [
      [1, 0],
      [0, 2],
    ],
  }),
  onMap('upsample 2 nearest', { op: 'upsample', scale: 2 }),
  onMap('upsample [2,3] bilinear', { op: 'upsample', scale: [2, 3], interpolation: 'bilinear' }),
  {
    name: 'add of three inputs',
    op: 'add',
    input: MAP,
    nodes: [
      { id: 'sq', op: 'act', inputs: ['input'], fn: 'tanh' },
      { id: 'x', op: 'add', inputs: ['input', 'sq', 'input'] },
      ...gapHead('x'),
    ],
  },
  {
    name: 'concat',
    op: 'concat',
    input: MAP,
    nodes: [
      { id: 'half', op: 'channel_pool', inputs: ['input'], fn: 'max' },
      { id: 'x', op: 'concat', inputs: ['input', 'half'] },
      ...gapHead('x'),
    ],
  },
  {
    name: 'mul by a [C] gate',
    op: 'mul',
    input: MAP,
    nodes: [
      { id: 'gate', op: 'gap', inputs: ['input'] },
      { id: 'x', op: 'mul', inputs: ['input', 'gate'] },
      ...gapHead('x'),
    ],
  },
  {
    name: 'mul by an [H,W,1] gate',
    op: 'mul',
    input: MAP,
    nodes: [
      { id: 'gate', op: 'channel_pool', inputs: ['input'], fn: 'mean' },
      { id: 'x', op: 'mul', inputs: ['input', 'gate'] },
      ...gapHead('x'),
    ],
  },
  onMap('basic, identity shortcut', { op: 'basic', filters: 4 }),
  onMap('basic stride 2, projection', { op: 'basic', filters: 8, stride: 2 }),
  onMap('bottleneck with projection', { op: 'bottleneck', filters: 16 }),
  onMap('bottleneck without projection', { op: 'bottleneck', filters: 8, width: 2 }, [6, 6, 8]),
  onMap('bottleneck ResNeXt: groups 2, stride 2 on the 1×1', {
    op: 'bottleneck',
    filters: 8,
    width: 4,
    groups: 2,
    stride: 2,
    strideOn: '1x1',
  }),
  onMap('inverted_residual expansion 1 (residual)', { op: 'inverted_residual', filters: 4, expansion: 1 }),
  onMap('inverted_residual expansion 6 stride 2', { op: 'inverted_residual', filters: 8, expansion: 6, stride: 2 }),
  onMap('se', { op: 'se', ratio: 2 }),
  onMap('cbam', { op: 'cbam', ratio: 2, kernel: 3 }),
  {
    name: 'fpn over three levels',
    op: 'fpn',
    input: [8, 8, 4],
    nodes: [
      { id: 'p1', op: 'maxpool', inputs: ['input'], kernel: 2 },
      { id: 'p2', op: 'maxpool', inputs: ['p1'], kernel: 2 },
      { id: 'x', op: 'fpn', inputs: ['input', 'p1', 'p2'], filters: 6 },
      ...gapHead('x', 'x/out1', 'x/out2'),
    ],
  },
  {
    name: 'fpn over three levels, bidirectional',
    op: 'fpn',
    input: [8, 8, 4],
    nodes: [
      { id: 'p1', op: 'maxpool', inputs: ['input'], kernel: 2 },
      { id: 'p2', op: 'maxpool', inputs: ['p1'], kernel: 2 },
      { id: 'x', op: 'fpn', inputs: ['input', 'p1', 'p2'], filters: 6, path: 'bidirectional' },
      ...gapHead('x', 'x/out1', 'x/out2'),
    ],
  },
  onMap('basic with SE on the branch', { op: 'basic', filters: 4, attention: 'se', attentionRatio: 2 }),
  onMap('bottleneck with CBAM on the branch', {
    op: 'bottleneck',
    filters: 8,
    width: 2,
    attention: 'cbam',
    attentionRatio: 2,
  }),
  onMap('inverted_residual with SE after the depthwise conv', {
    op: 'inverted_residual',
    filters: 4,
    expansion: 2,
    attention: 'se',
  }),
  onMap('factorized_reduce', { op: 'factorized_reduce', filters: 6 }),
];

const snapshot = (model: LayersModel, trainable: boolean): { name: string; values: Float32Array }[] =>
  (trainable ? model.trainableWeights : model.nonTrainableWeights).map((w) => ({
    name: w.originalName,
    values: w.read().dataSync() as Float32Array,
  }));

const allFinite = (a: Float32Array): boolean => a.every(Number.isFinite);
const changed = (a: Float32Array, b: Float32Array): boolean => a.some((v, i) => v !== b[i]);

interface Built {
  readonly arch: ReturnType<typeof resolve>;
  readonly model: LayersModel;
  readonly x: Tensor;
  readonly y: Tensor;
  readonly rng: Rng;
}

/** Builds and compiles the case's network (SGD 0.1, MSE on the logits) with a seeded batch; disposes it all after `fn`. */
async function withModel(c: Case, fn: (b: Built) => Promise<void>): Promise<void> {
  const arch = resolve(c.nodes, c.input, { classes: CLASSES, output: 'logits' });
  const alphas =
    c.alphas === undefined ? undefined : { cell: tf.tidy(() => tf.variable(tf.tensor(c.alphas?.cell as number[][]))) };
  const model = buildModel(arch, { seed: `ops-train/${c.name}`, ...(alphas === undefined ? {} : { alphas }) });
  // Masks drawn from a seed, as the trainer draws them: a drop-path over a batch of 2 would else drop both examples one time in four.
  seedDropout(
    model.layers.filter((l) => MASK_LAYERS.has(l.getClassName())),
    new Rng(`ops-train/masks/${c.name}`),
  );
  const optimizer = tf.train.sgd(0.1);
  model.compile({ optimizer, loss: 'meanSquaredError' });
  const rng = new Rng(`ops-train/${c.name}`);
  const x = toTensor(randomNd(rng, [BATCH, ...c.input]));
  const y = toTensor(randomNd(rng, [BATCH, CLASSES]));
  try {
    await fn({ arch, model, x, y, rng });
  } finally {
    model.dispose();
    optimizer.dispose();
    tf.dispose([x, y, ...(alphas === undefined ? [] : [alphas.cell])]);
  }
}

it('the cases cover every op of the catalog', () => {
  expect(new Set(CASES.map((c) => c.op))).toEqual(new Set(Object.keys(ops)));
});

describe.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  it("has the cost model's parameter count and one SGD step changes every weight, without NaN", async () => {
    await withModel(c, async ({ arch, model, x, y, rng }) => {
      const parts = arch.nodes.filter((n) => n.id === 'x' || n.block === 'x');
      expect(parts.length).toBeGreaterThan(0);
      expect(model.countParams()).toBe(costTotal(arch));
      expect(modelTrainable(model)).toBe(costTrainable(arch));

      const trainable = snapshot(model, true);
      const stats = snapshot(model, false);
      const loss = await model.trainOnBatch(x, y);
      expect(Number.isFinite(loss as number)).toBe(true);
      const after = snapshot(model, true);
      trainable.forEach((w, i) => {
        const now = after[i]?.values ?? new Float32Array();
        expect(allFinite(now), `${w.name} has a non-finite value`).toBe(true);
        const frozen = c.frozen?.includes(w.name) === true;
        expect(changed(w.values, now), `${w.name} ${frozen ? 'changed' : 'did not change'} in one SGD step`).toBe(
          !frozen,
        );
      });
      snapshot(model, false).forEach((w, i) => {
        expect(allFinite(w.values), `${w.name} has a non-finite value`).toBe(true);
        expect(
          changed(stats[i]?.values ?? new Float32Array(), w.values),
          `moving statistic ${w.name} did not update`,
        ).toBe(true);
      });

      if (parts.every((n) => n.params.trainable === 0)) {
        const coeffs = randomNd(rng, [BATCH, CLASSES]);
        const grad = tf.tidy(() => {
          const weighted = (input: Tensor) => tf.sum(tf.mul(model.apply(input) as Tensor, toTensor(coeffs)));
          return tf.grad(weighted)(x).dataSync() as Float32Array;
        });
        expect(grad.length).toBe(x.size);
        expect(allFinite(grad)).toBe(true);
        if (c.deadInput === true) expect(grad.every((v) => v === 0)).toBe(true);
        else expect(grad.some((v) => v !== 0)).toBe(true);
      }
    });
  });

  it('leaks no tensor: not per step, none after the model is disposed', async () => {
    const before = tf.memory().numTensors;
    await withModel(c, async ({ model, x, y }) => {
      await model.trainOnBatch(x, y);
      // Later steps create nothing that outlives them (the first may create optimizer state).
      const perStep = tf.memory().numTensors;
      await model.trainOnBatch(x, y);
      expect(tf.memory().numTensors).toBe(perStep);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
