import { afterAll, describe, expect, it } from 'vitest';
import type { ArchNode, Shape } from '../../../src/core/arch.js';
import { loadTf } from '../../../src/backend/tf.js';
import { buildModel } from '../../../src/eval/build/build-model.js';
import { Rng, costTotal, maxAbsDiff, randomNd, resolve, toTensor } from './helpers.js';
import { conv2d, conv2dTranspose, pool2d, tfSame, type Nd, type Sides } from './reference-conv.js';

const tf = loadTf();
const INPUT: Shape = [7, 6, 4];
const BATCH = 2;
const TOL = 1e-4;

type Weights = Readonly<Record<string, Nd>>;
type NodeAttrs = Omit<ArchNode, 'id' | 'inputs'> & Record<string, unknown>;

interface Case {
  readonly name: string;
  readonly node: NodeAttrs;
  /** The documented kernel layouts, by weight name ('kernel', 'pointwise_kernel', 'bias'). */
  readonly weights: Readonly<Record<string, readonly number[]>>;
  readonly reference: (x: Nd, w: Weights) => Nd;
  /** Added to the random input (negative inputs make −∞ vs zero padding of max pooling visible). */
  readonly offset?: number;
}

const one = [1, 1] as const;
const none: Sides = [
  [0, 0],
  [0, 0],
];
const bias = (w: Weights): Float32Array | undefined => w['bias']?.data;
const need = (w: Weights, name: string): Nd => {
  const v = w[name];
  if (v === undefined) throw new Error(`no weight ${name}`);
  return v;
};
const same = (
  k: readonly [number, number],
  s: readonly [number, number] = one,
  d: readonly [number, number] = one,
): Sides => [tfSame(INPUT[0] ?? 0, k[0], s[0], d[0]), tfSame(INPUT[1] ?? 0, k[1], s[1], d[1])];
const conv =
  (stride: readonly [number, number], dilation: readonly [number, number], pad: Sides, groups = 1) =>
  (x: Nd, w: Weights) =>
    conv2d(x, need(w, 'kernel'), bias(w), { stride, dilation, pad, groups });
const separable =
  (stride: readonly [number, number], dilation: readonly [number, number], pad: Sides) => (x: Nd, w: Weights) => {
    const depthwise = conv2d(x, need(w, 'kernel'), undefined, { stride, dilation, pad, groups: x.shape[3] ?? 0 });
    return conv2d(depthwise, need(w, 'pointwise_kernel'), bias(w), {
      stride: one,
      dilation: one,
      pad: none,
      groups: 1,
    });
  };
const deconv =
  (
    stride: readonly [number, number],
    dilation: readonly [number, number],
    pad: Sides,
    outHW: readonly [number, number],
  ) =>
  (x: Nd, w: Weights) =>
    conv2dTranspose(x, need(w, 'kernel'), bias(w), { stride, dilation, pad, outHW });
const pool =
  (
    fn: 'max' | 'avg',
    kernel: readonly [number, number],
    stride: readonly [number, number],
    pad: Sides,
    divisor: 'window' | 'real' = 'window',
  ) =>
  (x: Nd) =>
    pool2d(x, { fn, kernel, stride, pad, divisor });

const CONV: Case[] = [
  {
    name: 'conv 3×3 stride 1 same',
    node: { op: 'conv', filters: 5, kernel: 3, padding: 'same' },
    weights: { kernel: [3, 3, 4, 5], bias: [5] },
    reference: conv(one, one, same([3, 3])),
  },
  {
    name: 'conv 3×3 stride 2 same (TF asymmetric padding)',
    node: { op: 'conv', filters: 5, kernel: 3, stride: 2, padding: 'same' },
    weights: { kernel: [3, 3, 4, 5], bias: [5] },
    reference: conv([2, 2], one, same([3, 3], [2, 2])),
  },
  {
    name: 'conv 3×3 valid',
    node: { op: 'conv', filters: 5, kernel: 3, padding: 'valid' },
    weights: { kernel: [3, 3, 4, 5], bias: [5] },
    reference: conv(one, one, none),
  },
  {
    name: 'conv 3×3 explicit [[1,2],[0,1]]',
    node: {
      op: 'conv',
      filters: 5,
      kernel: 3,
      padding: [
        [1, 2],
        [0, 1],
      ],
    },
    weights: { kernel: [3, 3, 4, 5], bias: [5] },
    reference: conv(one, one, [
      [1, 2],
      [0, 1],
    ]),
  },
  {
    name: 'conv [3,2] stride [2,1] explicit [[0,2],[1,0]]',
    node: {
      op: 'conv',
      filters: 3,
      kernel: [3, 2],
      stride: [2, 1],
      padding: [
        [0, 2],
        [1, 0],
      ],
    },
    weights: { kernel: [3, 2, 4, 3], bias: [3] },
    reference: conv([2, 1], one, [
      [0, 2],
      [1, 0],
    ]),
  },
  {
    name: 'conv 3×3 dilation 2 same',
    node: { op: 'conv', filters: 5, kernel: 3, dilation: 2, padding: 'same' },
    weights: { kernel: [3, 3, 4, 5], bias: [5] },
    reference: conv(one, [2, 2], same([3, 3], one, [2, 2])),
  },
  {
    name: 'conv [2,3] dilation [3,2] same (odd total padding)',
    node: { op: 'conv', filters: 3, kernel: [2, 3], dilation: [3, 2], padding: 'same' },
    weights: { kernel: [2, 3, 4, 3], bias: [3] },
    reference: conv(one, [3, 2], same([2, 3], one, [3, 2])),
  },
  {
    name: 'conv 3×3 dilation 3 explicit [[1,0],[2,1]]',
    node: {
      op: 'conv',
      filters: 5,
      kernel: 3,
      dilation: 3,
      padding: [
        [1, 0],
        [2, 1],
      ],
    },
    weights: { kernel: [3, 3, 4, 5], bias: [5] },
    reference: conv(
      one,
      [3, 3],
      [
        [1, 0],
        [2, 1],
      ],
    ),
  },
  {
    name: 'conv groups 2',
    node: { op: 'conv', filters: 6, kernel: 3, groups: 2, padding: 'same' },
    weights: { kernel: [3, 3, 2, 6], bias: [6] },
    reference: conv(one, one, same([3, 3]), 2),
  },
  {
    name: 'conv groups 2 stride 2 explicit 1',
    node: { op: 'conv', filters: 4, kernel: 3, groups: 2, stride: 2, padding: 1 },
    weights: { kernel: [3, 3, 2, 4], bias: [4] },
    reference: conv(
      [2, 2],
      one,
      [
        [1, 1],
        [1, 1],
      ],
      2,
    ),
  },
  {
    name: 'conv groups 2 dilation 2 valid',
    node: { op: 'conv', filters: 2, kernel: 2, groups: 2, dilation: 2 },
    weights: { kernel: [2, 2, 2, 2], bias: [2] },
    reference: conv(one, [2, 2], none, 2),
  },
  {
    name: 'conv depthwise (groups = C_in = filters)',
    node: { op: 'conv', filters: 4, kernel: 3, groups: 4, padding: 'same' },
    weights: { kernel: [3, 3, 1, 4], bias: [4] },
    reference: conv(one, one, same([3, 3]), 4),
  },
  {
    name: 'conv depthwise with filters = 2·C_in',
    node: { op: 'conv', filters: 8, kernel: 3, groups: 4, padding: 'same' },
    weights: { kernel: [3, 3, 1, 8], bias: [8] },
    reference: conv(one, one, same([3, 3]), 4),
  },
  {
    name: 'conv depthwise filters = 2·C_in, dilation 2 explicit 2',
    node: { op: 'conv', filters: 8, kernel: 3, groups: 4, dilation: 2, padding: 2 },
    weights: { kernel: [3, 3, 1, 8], bias: [8] },
    reference: conv(
      one,
      [2, 2],
      [
        [2, 2],
        [2, 2],
      ],
      4,
    ),
  },
  {
    name: 'conv [1,3] stride [1,2] same (non-square)',
    node: { op: 'conv', filters: 5, kernel: [1, 3], stride: [1, 2], padding: 'same' },
    weights: { kernel: [1, 3, 4, 5], bias: [5] },
    reference: conv([1, 2], one, same([1, 3], [1, 2])),
  },
  {
    name: 'conv dilation [2,1] stride [1,2] same',
    node: { op: 'conv', filters: 3, kernel: 3, dilation: [2, 1], stride: [1, 2], padding: 'same' },
    weights: { kernel: [3, 3, 4, 3], bias: [3] },
    reference: conv([1, 2], [2, 1], same([3, 3], [1, 2], [2, 1])),
  },
  {
    name: 'conv dilation [2,1] stride [1,2] valid',
    node: { op: 'conv', filters: 3, kernel: 3, dilation: [2, 1], stride: [1, 2] },
    weights: { kernel: [3, 3, 4, 3], bias: [3] },
    reference: conv([1, 2], [2, 1], none),
  },
  {
    name: 'conv without bias',
    node: { op: 'conv', filters: 5, kernel: 3, padding: 1, bias: false },
    weights: { kernel: [3, 3, 4, 5] },
    reference: conv(one, one, [
      [1, 1],
      [1, 1],
    ]),
  },
];

const DEPTHWISE: Case[] = [
  {
    name: 'dwconv multiplier 2 dilation 2 same',
    node: { op: 'dwconv', kernel: 3, multiplier: 2, dilation: 2, padding: 'same' },
    weights: { kernel: [3, 3, 1, 8], bias: [8] },
    reference: conv(one, [2, 2], same([3, 3], one, [2, 2]), 4),
  },
  {
    name: 'dwconv stride 2 explicit 1, no bias',
    node: { op: 'dwconv', kernel: 3, stride: 2, padding: 1, bias: false },
    weights: { kernel: [3, 3, 1, 4] },
    reference: conv(
      [2, 2],
      one,
      [
        [1, 1],
        [1, 1],
      ],
      4,
    ),
  },
  {
    name: 'dwconv dilation [1,2] stride [2,1] explicit 1',
    node: { op: 'dwconv', kernel: 3, dilation: [1, 2], stride: [2, 1], padding: 1 },
    weights: { kernel: [3, 3, 1, 4], bias: [4] },
    reference: conv(
      [2, 1],
      [1, 2],
      [
        [1, 1],
        [1, 1],
      ],
      4,
    ),
  },
  {
    name: 'sepconv 3×3 same',
    node: { op: 'sepconv', filters: 5, kernel: 3, padding: 'same' },
    weights: { kernel: [3, 3, 1, 4], pointwise_kernel: [1, 1, 4, 5], bias: [5] },
    reference: separable(one, one, same([3, 3])),
  },
  {
    name: 'sepconv multiplier 2 dilation 2 explicit [[2,1],[1,2]]',
    node: {
      op: 'sepconv',
      filters: 3,
      kernel: 3,
      multiplier: 2,
      dilation: 2,
      padding: [
        [2, 1],
        [1, 2],
      ],
    },
    weights: { kernel: [3, 3, 1, 8], pointwise_kernel: [1, 1, 8, 3], bias: [3] },
    reference: separable(
      one,
      [2, 2],
      [
        [2, 1],
        [1, 2],
      ],
    ),
  },
  {
    name: 'conv dilation 2 stride 2 same (both on one axis)',
    node: { op: 'conv', filters: 3, kernel: 3, dilation: 2, stride: 2, padding: 'same' },
    weights: { kernel: [3, 3, 4, 3], bias: [3] },
    reference: conv([2, 2], [2, 2], same([3, 3], [2, 2], [2, 2])),
  },
  {
    name: 'conv dilation 2 stride 3 explicit [[2,1],[1,2]]',
    node: {
      op: 'conv',
      filters: 3,
      kernel: 2,
      dilation: 2,
      stride: 3,
      padding: [
        [2, 1],
        [1, 2],
      ],
    },
    weights: { kernel: [2, 2, 4, 3], bias: [3] },
    reference: conv(
      [3, 3],
      [2, 2],
      [
        [2, 1],
        [1, 2],
      ],
    ),
  },
  {
    name: 'sepconv dilation [2,1] stride [1,2] same',
    node: { op: 'sepconv', filters: 3, kernel: 3, dilation: [2, 1], stride: [1, 2], padding: 'same' },
    weights: { kernel: [3, 3, 1, 4], pointwise_kernel: [1, 1, 4, 3], bias: [3] },
    reference: separable([1, 2], [2, 1], same([3, 3], [1, 2], [2, 1])),
  },
  {
    name: 'sepconv stride 2 same',
    node: { op: 'sepconv', filters: 5, kernel: 3, stride: 2, padding: 'same' },
    weights: { kernel: [3, 3, 1, 4], pointwise_kernel: [1, 1, 4, 5], bias: [5] },
    reference: separable([2, 2], one, same([3, 3], [2, 2])),
  },
];

/** 'same' transposed conv: the transpose of a 'same' conv from the [H·s, W·s] output back to the input. */
const deconvSame = (
  k: readonly [number, number],
  s: readonly [number, number],
  d: readonly [number, number] = one,
): Sides => [tfSame((INPUT[0] ?? 0) * s[0], k[0], s[0], d[0]), tfSame((INPUT[1] ?? 0) * s[1], k[1], s[1], d[1])];

const DECONV: Case[] = [
  {
    name: 'deconv 3×3 stride 2 same',
    node: { op: 'deconv', filters: 3, kernel: 3, stride: 2, padding: 'same' },
    weights: { kernel: [3, 3, 3, 4], bias: [3] },
    reference: deconv([2, 2], one, deconvSame([3, 3], [2, 2]), [14, 12]),
  },
  {
    name: 'deconv 4×4 stride 2 same',
    node: { op: 'deconv', filters: 3, kernel: 4, stride: 2, padding: 'same' },
    weights: { kernel: [4, 4, 3, 4], bias: [3] },
    reference: deconv([2, 2], one, deconvSame([4, 4], [2, 2]), [14, 12]),
  },
  {
    name: 'deconv 3×3 stride 2 padding 1 outputPadding 1',
    node: { op: 'deconv', filters: 3, kernel: 3, stride: 2, padding: 1, outputPadding: 1 },
    weights: { kernel: [3, 3, 3, 4], bias: [3] },
    reference: deconv(
      [2, 2],
      one,
      [
        [1, 1],
        [1, 1],
      ],
      [14, 12],
    ),
  },
  {
    name: 'deconv 3×3 stride 2 valid outputPadding 1 (bias-only last row and column)',
    node: { op: 'deconv', filters: 3, kernel: 3, stride: 2, outputPadding: 1 },
    weights: { kernel: [3, 3, 3, 4], bias: [3] },
    reference: deconv([2, 2], one, none, [16, 14]),
  },
  {
    name: 'deconv 3×3 dilation 2 padding 1',
    node: { op: 'deconv', filters: 3, kernel: 3, dilation: 2, padding: 1 },
    weights: { kernel: [3, 3, 3, 4], bias: [3] },
    reference: deconv(
      one,
      [2, 2],
      [
        [1, 1],
        [1, 1],
      ],
      [9, 8],
    ),
  },
  {
    name: 'deconv 3×3 dilation 2 same',
    node: { op: 'deconv', filters: 3, kernel: 3, dilation: 2, padding: 'same' },
    weights: { kernel: [3, 3, 3, 4], bias: [3] },
    reference: deconv(one, [2, 2], deconvSame([3, 3], one, [2, 2]), [7, 6]),
  },
  {
    name: 'deconv dilation [2,1] stride [1,2] padding 1',
    node: { op: 'deconv', filters: 3, kernel: 3, dilation: [2, 1], stride: [1, 2], padding: 1 },
    weights: { kernel: [3, 3, 3, 4], bias: [3] },
    reference: deconv(
      [1, 2],
      [2, 1],
      [
        [1, 1],
        [1, 1],
      ],
      [9, 11],
    ),
  },
  {
    name: 'deconv dilation [2,1] stride [1,2] same',
    node: { op: 'deconv', filters: 3, kernel: 3, dilation: [2, 1], stride: [1, 2], padding: 'same' },
    weights: { kernel: [3, 3, 3, 4], bias: [3] },
    reference: deconv([1, 2], [2, 1], deconvSame([3, 3], [1, 2], [2, 1]), [7, 12]),
  },
  {
    name: 'deconv [3,2] stride [2,1] explicit [[0,1],[2,0]] outputPadding [1,0]',
    node: {
      op: 'deconv',
      filters: 2,
      kernel: [3, 2],
      stride: [2, 1],
      padding: [
        [0, 1],
        [2, 0],
      ],
      outputPadding: [1, 0],
    },
    weights: { kernel: [3, 2, 2, 4], bias: [2] },
    reference: deconv(
      [2, 1],
      one,
      [
        [0, 1],
        [2, 0],
      ],
      [15, 5],
    ),
  },
];

const POOL: Case[] = [
  {
    name: 'maxpool 3×3 stride 2 padding 1 (pads −∞)',
    node: { op: 'maxpool', kernel: 3, stride: 2, padding: 1 },
    weights: {},
    offset: -2,
    reference: pool(
      'max',
      [3, 3],
      [2, 2],
      [
        [1, 1],
        [1, 1],
      ],
    ),
  },
  {
    name: 'maxpool [3,2] explicit [[1,0],[0,1]]',
    node: {
      op: 'maxpool',
      kernel: [3, 2],
      padding: [
        [1, 0],
        [0, 1],
      ],
    },
    weights: {},
    offset: -2,
    reference: pool(
      'max',
      [3, 2],
      [3, 2],
      [
        [1, 0],
        [0, 1],
      ],
    ),
  },
  {
    name: 'maxpool 3×3 stride 2 same',
    node: { op: 'maxpool', kernel: 3, stride: 2, padding: 'same' },
    weights: {},
    offset: -2,
    reference: pool('max', [3, 3], [2, 2], same([3, 3], [2, 2])),
  },
  {
    name: 'avgpool 3×3 stride 2 padding 1 includePad true',
    node: { op: 'avgpool', kernel: 3, stride: 2, padding: 1, includePad: true },
    weights: {},
    offset: 1,
    reference: pool(
      'avg',
      [3, 3],
      [2, 2],
      [
        [1, 1],
        [1, 1],
      ],
      'window',
    ),
  },
  {
    name: 'avgpool 3×3 stride 2 padding 1 includePad false',
    node: { op: 'avgpool', kernel: 3, stride: 2, padding: 1, includePad: false },
    weights: {},
    offset: 1,
    reference: pool(
      'avg',
      [3, 3],
      [2, 2],
      [
        [1, 1],
        [1, 1],
      ],
      'real',
    ),
  },
  {
    name: 'avgpool [3,2] stride 1 explicit [[1,1],[1,0]] includePad false',
    node: {
      op: 'avgpool',
      kernel: [3, 2],
      stride: 1,
      padding: [
        [1, 1],
        [1, 0],
      ],
      includePad: false,
    },
    weights: {},
    offset: 1,
    reference: pool(
      'avg',
      [3, 2],
      one,
      [
        [1, 1],
        [1, 0],
      ],
      'real',
    ),
  },
  {
    name: 'avgpool 3×3 stride 2 same (TF: real elements)',
    node: { op: 'avgpool', kernel: 3, stride: 2, padding: 'same' },
    weights: {},
    offset: 1,
    reference: pool('avg', [3, 3], [2, 2], same([3, 3], [2, 2]), 'real'),
  },
  {
    name: 'avgpool 2×2 valid',
    node: { op: 'avgpool', kernel: 2 },
    weights: {},
    reference: pool('avg', [2, 2], [2, 2], none),
  },
];

afterAll(() => {
  expect(tf.memory().numTensors).toBe(startTensors);
});
const startTensors = tf.memory().numTensors;

describe.each([
  ['convolution', CONV],
  ['depthwise and separable convolution', DEPTHWISE],
  ['transposed convolution', DECONV],
  ['pooling', POOL],
])('%s equals the part 1.1 reference within 1e-4', (_kind, cases) => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => check(c));
});

/** Builds the one-op model, sets seeded random weights and compares a batch to the reference. */
function check(c: Case): void {
  const arch = resolve([{ id: 'c', inputs: ['input'], ...c.node } as ArchNode], INPUT);
  const model = buildModel(arch, { seed: 1 });
  const rng = new Rng(`conv-reference/${c.name}`);
  try {
    expect(model.countParams()).toBe(costTotal(arch));
    const layer = model.getLayer('c');
    const shapes = Object.fromEntries(layer.weights.map((w) => [w.originalName.split('/').at(-1) ?? '', w.shape]));
    expect(shapes).toEqual(c.weights);
    const values = layer.weights.map((w) => randomNd(rng, w.shape as number[]));
    const tensors = values.map(toTensor);
    layer.setWeights(tensors);
    tf.dispose(tensors);
    const byName = Object.fromEntries(
      layer.weights.map((w, i) => [w.originalName.split('/').at(-1) ?? '', values[i] as Nd]),
    );

    const x = randomNd(rng, [BATCH, ...INPUT], c.offset ?? 0);
    const expected = c.reference(x, byName);
    const got = tf.tidy(() => {
      const y = model.predict(toTensor(x)) as ReturnType<typeof toTensor>;
      return { shape: y.shape, data: y.dataSync() as Float32Array };
    });
    expect(got.shape).toEqual(expected.shape);
    expect(got.shape.slice(1)).toEqual(arch.nodes[0]?.shape);
    expect(maxAbsDiff(got.data, expected.data)).toBeLessThan(TOL);
  } finally {
    model.dispose();
  }
}

describe('the reference itself', () => {
  const grid: Nd = { shape: [1, 3, 3, 1], data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]) };
  const ones = (shape: number[]): Nd => ({ shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(1) });

  it('convolves a 3×3 grid by hand-computed values', () => {
    const w: Nd = { shape: [2, 2, 1, 1], data: Float32Array.from([1, 2, 3, 4]) };
    const valid = conv2d(grid, w, Float32Array.from([0.5]), { stride: one, dilation: one, pad: none, groups: 1 });
    expect(valid.shape).toEqual([1, 2, 2, 1]);
    expect([...valid.data]).toEqual([37.5, 47.5, 67.5, 77.5]);
    // dilation 2, one row of padding on top: out[i] = Σ x[i − 1 + 2·di, 2·dj]
    const dilated = conv2d(grid, ones([2, 2, 1, 1]), undefined, {
      stride: one,
      dilation: [2, 2],
      pad: [
        [1, 0],
        [0, 0],
      ],
      groups: 1,
    });
    expect(dilated.shape).toEqual([1, 2, 1, 1]);
    expect([...dilated.data]).toEqual([4 + 6, 1 + 3 + 7 + 9]);
  });

  it('keeps groups apart: group 1 never sees channel 0', () => {
    const x: Nd = { shape: [1, 1, 1, 2], data: Float32Array.from([3, 5]) };
    const y = conv2d(x, ones([1, 1, 1, 4]), undefined, { stride: one, dilation: one, pad: none, groups: 2 });
    expect([...y.data]).toEqual([3, 3, 5, 5]);
  });

  it('pools a 3×3 grid with padding 1 by hand-computed values', () => {
    const args = {
      kernel: [3, 3],
      stride: [2, 2],
      pad: [
        [1, 1],
        [1, 1],
      ],
    } as const;
    expect([...pool2d(grid, { ...args, fn: 'max', divisor: 'window' }).data]).toEqual([5, 6, 8, 9]);
    expect([...pool2d(grid, { ...args, fn: 'avg', divisor: 'window' }).data]).toEqual(
      [12 / 9, 16 / 9, 24 / 9, 28 / 9].map(Math.fround),
    );
    expect([...pool2d(grid, { ...args, fn: 'avg', divisor: 'real' }).data]).toEqual([3, 4, 6, 7]);
  });

  it("TF 'same' sides: odd totals go to the bottom/right", () => {
    expect(tfSame(7, 3, 2)).toEqual([1, 1]);
    expect(tfSame(6, 3, 2)).toEqual([0, 1]);
    expect(tfSame(7, 2, 1, 3)).toEqual([1, 2]);
    expect(tfSame(5, 1, 1)).toEqual([0, 0]);
  });

  it('transposed convolution is the adjoint of convolution: ⟨conv(x), y⟩ = ⟨x, deconv(y)⟩', () => {
    const rng = new Rng('adjoint');
    for (const a of [
      {
        stride: [2, 2],
        dilation: one,
        pad: [
          [1, 0],
          [0, 1],
        ],
      },
      {
        stride: [1, 1],
        dilation: [2, 3],
        pad: [
          [2, 1],
          [0, 2],
        ],
      },
      { stride: [3, 2], dilation: one, pad: none },
    ] as const) {
      const x = randomNd(rng, [1, 7, 6, 3]);
      const w = randomNd(rng, [3, 2, 3, 2]);
      const cx = conv2d(x, w, undefined, { ...a, groups: 1 });
      const y = randomNd(rng, cx.shape);
      const ty = conv2dTranspose(y, w, undefined, { ...a, outHW: [7, 6] });
      const dot = (p: Nd, q: Nd) => p.data.reduce((s, v, i) => s + v * (q.data[i] ?? Number.NaN), 0);
      expect(ty.shape).toEqual(x.shape);
      expect(Math.abs(dot(cx, y) - dot(x, ty))).toBeLessThan(1e-3 * (1 + Math.abs(dot(cx, y))));
    }
  });
});
