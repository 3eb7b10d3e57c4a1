// Every primitive op and block of the catalog, exported as a frozen SavedModel and a tfjs graph model
// (BatchNorms folded, weights as constants), loaded in a fresh Node process that imports only
// @tensorflow/tfjs-node (fixtures/predict.mjs: tf.node.loadSavedModel, tf.loadGraphModel) and
// compared with the eager model's logits on a seeded batch of 3, with non-trivial BN statistics and
// biases; and the same SavedModel without its empty variables/ folder. Largest absolute difference
// over the 56 networks: see TOLERANCE. ~4 s (one child process loads the 113 models).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TFJS_GRAPH_OPS } from '../../../src/eval/export/tfjs-graph-ops.js';
import { assertArch } from '../../../src/space/index.js';
import { INPUT, net } from '../compile/op-net.js';
import {
  childModels,
  exportNetwork,
  maxAbsDiff,
  predictInChild,
  tempRoot,
  type ChildResult,
  type Exported,
} from './helpers.js';

/**
 * Allowed absolute difference of the logits. Measured: at most 9.5e-7 in both formats, on logits up
 * to |6.6|: float32 rounding of the folded weights and of another kernel order.
 */
const TOLERANCE = 1e-4;

const CASES: readonly [string, ReturnType<typeof net>][] = [
  ['conv 3×3 same', net({ op: 'conv', filters: 6, kernel: 3, padding: 'same' })],
  ['conv 3×3 stride 2, PyTorch padding 1', net({ op: 'conv', filters: 6, kernel: 3, stride: 2, padding: 1 })],
  [
    'conv asymmetric padding, 1×3 kernel',
    net({
      op: 'conv',
      filters: 6,
      kernel: [1, 3],
      padding: [
        [0, 1],
        [2, 0],
      ],
    }),
  ],
  ['conv dilation 2', net({ op: 'conv', filters: 6, kernel: 3, dilation: 2, padding: 2, bias: false })],
  [
    'conv stride and dilation on one axis',
    net({ op: 'conv', filters: 6, kernel: 3, dilation: [2, 1], stride: [2, 1], padding: [2, 1] }),
  ],
  ['conv grouped (2 groups)', net({ op: 'conv', filters: 6, kernel: 3, groups: 2, padding: 1 })],
  ['conv depthwise (groups = channels)', net({ op: 'conv', filters: 8, kernel: 3, groups: 4, padding: 1 })],
  ['dwconv multiplier 2 stride 2', net({ op: 'dwconv', kernel: 3, multiplier: 2, stride: 2, padding: 1 })],
  ['dwconv dilation 2', net({ op: 'dwconv', kernel: 3, dilation: 2, padding: 2, bias: false })],
  ['dwconv dilation 2 with stride 2', net({ op: 'dwconv', kernel: 5, dilation: 2, stride: 2, padding: 4 })],
  ['sepconv', net({ op: 'sepconv', filters: 6, kernel: 3, padding: 'same' })],
  [
    'sepconv dilation 2 stride 2',
    net({ op: 'sepconv', filters: 6, kernel: 3, dilation: 2, stride: 2, padding: 2, bias: false }),
  ],
  ['maxpool same', net({ op: 'maxpool', kernel: 3, stride: 2, padding: 'same' })],
  ['maxpool explicit padding', net({ op: 'maxpool', kernel: 3, stride: 2, padding: 1 })],
  ['avgpool include pad', net({ op: 'avgpool', kernel: 3, stride: 1, padding: 1 })],
  ['avgpool count real', net({ op: 'avgpool', kernel: 3, stride: 2, padding: 1, includePad: false })],
  ['avgpool same', net({ op: 'avgpool', kernel: 3, stride: 2, padding: 'same' })],
  ['avgpool valid', net({ op: 'avgpool', kernel: 2 })],
  [
    'gmp gate',
    net({ op: 'gmp' }, [
      { id: 'gate', op: 'act', fn: 'sigmoid', inputs: ['op'] },
      { id: 'scaled', op: 'mul', inputs: ['stem', 'gate'] },
    ]),
  ],
  [
    'channel_pool mean',
    net({ op: 'channel_pool', fn: 'mean' }, [{ id: 'widen', op: 'conv', inputs: ['op'], filters: 3, kernel: 1 }]),
  ],
  [
    'channel_pool max',
    net({ op: 'channel_pool', fn: 'max' }, [{ id: 'widen', op: 'conv', inputs: ['op'], filters: 3, kernel: 1 }]),
  ],
  ['bn non-affine', net({ op: 'bn', affine: false, momentum: 0.8, epsilon: 1e-3 })],
  [
    'bn after an add (not folded)',
    net({ op: 'conv', filters: 4, kernel: 3, padding: 'same' }, [
      { id: 'sum', op: 'add', inputs: ['op', 'stem'] },
      { id: 'bn', op: 'bn', inputs: ['sum'] },
    ]),
  ],
  ['zero stride 1 beside a conv', net({ op: 'zero' }, [{ id: 'sum', op: 'add', inputs: ['op', 'stem'] }])],
  [
    'zero stride 2 beside a strided conv',
    net({ op: 'zero', stride: 2 }, [
      { id: 'c2', op: 'conv', inputs: ['stem'], filters: 4, kernel: 1, stride: 2 },
      { id: 'sum', op: 'add', inputs: ['op', 'c2'] },
    ]),
  ],
  ['identity and add(x, x)', net({ op: 'identity' }, [{ id: 'twice', op: 'add', inputs: ['op', 'op'] }])],
  ['dropout (inference: identity)', net({ op: 'dropout', rate: 0.3 })],
  ['drop_path (inference: identity)', net({ op: 'drop_path', rate: 0.3 })],
  [
    'crop',
    net({
      op: 'crop',
      crop: [
        [1, 0],
        [0, 2],
      ],
    }),
  ],
  ['upsample nearest', net({ op: 'upsample', scale: 2 })],
  ['upsample bilinear', net({ op: 'upsample', scale: [2, 1], interpolation: 'bilinear' })],
  ['concat', net({ op: 'conv', filters: 3, kernel: 1 }, [{ id: 'cat', op: 'concat', inputs: ['op', 'stem'] }])],
  [
    'mul by a spatial map',
    net({ op: 'channel_pool', fn: 'mean' }, [
      { id: 'gate', op: 'act', fn: 'sigmoid', inputs: ['op'] },
      { id: 'scaled', op: 'mul', inputs: ['stem', 'gate'] },
    ]),
  ],
  ['deconv same, stride 2', net({ op: 'deconv', filters: 5, kernel: 3, stride: 2, padding: 'same' })],
  [
    'deconv PyTorch padding, output padding',
    net({ op: 'deconv', filters: 5, kernel: 3, stride: 2, padding: 1, outputPadding: 1 }),
  ],
  [
    'deconv dilation 2, asymmetric padding',
    net({
      op: 'deconv',
      filters: 5,
      kernel: 3,
      dilation: 2,
      padding: [
        [0, 2],
        [1, 0],
      ],
      bias: false,
    }),
  ],
  [
    'flatten + dense + bn (rank 2)',
    assertArch(
      {
        version: 1,
        nodes: [
          { id: 'conv', op: 'conv', inputs: ['input'], filters: 4, kernel: 3, stride: 2, padding: 1 },
          { id: 'flat', op: 'flatten', inputs: ['conv'] },
          { id: 'fc', op: 'dense', units: 6, inputs: ['flat'] },
          { id: 'fc_bn', op: 'bn', inputs: ['fc'] },
          { id: 'logits', op: 'dense', units: 'classes', inputs: ['fc_bn'] },
        ],
        output: 'logits',
      },
      { inputShape: INPUT, classes: 5 },
    ),
  ],
  ['se block', net({ op: 'se', ratio: 2 })],
  ['cbam block', net({ op: 'cbam', ratio: 2, kernel: 3 })],
  ['basic residual block, stride 2', net({ op: 'basic', filters: 8, stride: 2 })],
  ['bottleneck block, grouped', net({ op: 'bottleneck', filters: 8, width: 4, groups: 2 })],
  ['inverted residual', net({ op: 'inverted_residual', filters: 4, expansion: 3, kernel: 3 })],
  ['factorized reduce', net({ op: 'factorized_reduce', filters: 6 }, [], [8, 8, 4])],
  [
    'fpn',
    net(
      { op: 'conv', filters: 4, kernel: 3, stride: 2, padding: 1 },
      [{ id: 'fpn', op: 'fpn', filters: 4, inputs: ['stem', 'op'] }],
      [8, 8, 4],
    ),
  ],
  ...(
    [
      'relu',
      'relu6',
      'leaky_relu',
      'elu',
      'selu',
      'gelu',
      'sigmoid',
      'tanh',
      'swish',
      'softplus',
      'softmax',
      'linear',
    ] as const
  ).map(
    (fn) =>
      [`act ${fn}`, net({ op: 'act', fn, ...(fn === 'leaky_relu' ? { alpha: 0.2 } : {}) })] as [
        string,
        ReturnType<typeof net>,
      ],
  ),
];

let exports: Exported[] = [];
let results = new Map<string, ChildResult>();
let withoutVariables: { dir: string; expected: Float32Array; input: Exported['input'] };
const worst = { 'saved-model': 0, 'tfjs-graph': 0, logits: 0 };

beforeAll(async () => {
  const root = tempRoot('nas-export-catalog-');
  exports = [];
  for (const [i, [label, arch]] of CASES.entries()) exports.push(await exportNetwork(label, arch, 100 + i, root));
  // The same SavedModel without its (empty) variables/ folder: the loader must not need it.
  const first = exports[0] as Exported;
  const dir = path.join(root, 'no-variables');
  fs.mkdirSync(dir);
  fs.copyFileSync(path.join(first.dirs['saved-model'], 'saved_model.pb'), path.join(dir, 'saved_model.pb'));
  withoutVariables = { dir, expected: first.expected, input: first.input };
  results = await predictInChild([
    ...childModels(exports),
    { id: 'no variables/', format: 'saved-model', path: dir, input: first.input },
  ]);
}, 120_000);

afterAll(() => {
  console.log(
    `catalog exports: largest |logit| ${worst.logits.toFixed(2)}; max abs diff saved-model ${worst['saved-model'].toExponential(1)}, tfjs-graph ${worst['tfjs-graph'].toExponential(1)}`,
  );
});

describe('every catalog op exported, loaded by TensorFlow and tfjs in a fresh process', () => {
  it.each(CASES.map(([label], i) => [label, i] as const))('%s', (label, i) => {
    const e = exports[i] as Exported;
    worst.logits = Math.max(worst.logits, ...Array.from(e.expected, Math.abs));
    for (const format of ['saved-model', 'tfjs-graph'] as const) {
      const diff = maxAbsDiff(results.get(`${label} ${format}`), e.expected);
      worst[format] = Math.max(worst[format], diff);
      expect(diff, `${format}, ops ${[...e.ops].join(' ')}`).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('uses every op the tfjs-graph format admits, so each is checked here', () => {
    const used = new Set(exports.flatMap((e) => [...e.ops]));
    expect([...TFJS_GRAPH_OPS].filter((op) => !used.has(op))).toEqual([]);
  });

  it('loads a SavedModel without a variables/ folder', () => {
    expect(maxAbsDiff(results.get('no variables/'), withoutVariables.expected)).toBeLessThanOrEqual(TOLERANCE);
  });
});
