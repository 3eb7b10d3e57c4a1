// Every primitive op of the catalog, compiled, against the eager builder: from the same initial
// weights, two SGD steps on one batch give the same losses and the same weights (moving statistics
// included), and inference-mode evaluation agrees. Measured tolerance: see TOLERANCE.
import { describe, expect, it } from 'vitest';
import { compareSteps } from './helpers.js';
import { net } from './op-net.js';

/** Relative difference allowed (float32 kernels in another order: oneDNN fused vs tfjs op by op). */
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
  ['avgpool valid', net({ op: 'avgpool', kernel: 2 })],
  // Ties: a stride-1 max pool repeats one element in several windows; the global max shares its gradient among them.
  [
    'gmp after a stride-1 max pool (tied maxima)',
    net({ op: 'maxpool', kernel: 3, stride: 1, padding: 'same' }, [
      { id: 'gmp', op: 'gmp', inputs: ['op'] },
      { id: 'gate', op: 'act', fn: 'sigmoid', inputs: ['gmp'] },
      { id: 'scaled', op: 'mul', inputs: ['stem', 'gate'] },
    ]),
  ],
  [
    'channel_pool max after a stride-1 max pool (tied maxima)',
    net({ op: 'maxpool', kernel: 3, stride: 1, padding: 'same' }, [
      { id: 'cp', op: 'channel_pool', fn: 'max', inputs: ['op'] },
      { id: 'gate', op: 'act', fn: 'sigmoid', inputs: ['cp'] },
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
  ['zero stride 1 beside a conv', net({ op: 'zero' }, [{ id: 'sum', op: 'add', inputs: ['op', 'stem'] }])],
  [
    'zero stride 2 beside a strided conv',
    net({ op: 'zero', stride: 2 }, [
      { id: 'c2', op: 'conv', inputs: ['stem'], filters: 4, kernel: 1, stride: 2 },
      { id: 'sum', op: 'add', inputs: ['op', 'c2'] },
    ]),
  ],
  ['identity and add(x, x)', net({ op: 'identity' }, [{ id: 'twice', op: 'add', inputs: ['op', 'op'] }])],
  // A drop-path mask draws from another generator on each engine (test/eval/compile/drop-path.test.ts): equal at rate 0.
  ['drop_path rate 0', net({ op: 'drop_path', rate: 0 })],
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
    'mul by a channel vector (SE)',
    net({ op: 'gap' }, [
      { id: 'gate', op: 'act', fn: 'sigmoid', inputs: ['op'] },
      { id: 'scaled', op: 'mul', inputs: ['stem', 'gate'] },
    ]),
  ],
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
  // Three levels, the coarsest output read (it depends on every bottom-up step) beside the finest.
  [
    'fpn bidirectional (PANet bottom-up path)',
    net(
      { op: 'conv', filters: 4, kernel: 3, stride: 2, padding: 1 },
      [
        { id: 'op2', op: 'conv', inputs: ['op'], filters: 4, kernel: 3, stride: 2, padding: 1 },
        { id: 'fpn', op: 'fpn', filters: 4, inputs: ['stem', 'op', 'op2'], path: 'bidirectional' },
        { id: 'up', op: 'upsample', inputs: ['fpn/out2'], scale: 4 },
        { id: 'sum', op: 'add', inputs: ['fpn', 'up'] },
      ],
      [8, 8, 4],
    ),
  ],
  ['basic block with SE on the branch', net({ op: 'basic', filters: 4, attention: 'se', attentionRatio: 2 })],
  [
    'bottleneck with CBAM on the branch, stride 2',
    net({ op: 'bottleneck', filters: 8, stride: 2, attention: 'cbam', attentionRatio: 2 }),
  ],
  [
    'inverted residual with SE after the depthwise conv',
    net({ op: 'inverted_residual', filters: 4, expansion: 3, attention: 'se' }),
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

describe('compiled ops against the eager builder', () => {
  it.each(CASES)('%s', async (_label, arch) => {
    const r = await compareSteps(
      arch,
      { optimizer: { kind: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 5e-4 } },
      2,
    );
    for (const [eager, compiled] of r.losses)
      expect(Math.abs(eager - compiled) / Math.max(1, Math.abs(eager))).toBeLessThan(TOLERANCE);
    expect(r.weights, `worst weight ${r.worstWeight}`).toBeLessThan(TOLERANCE);
    expect(Math.abs(r.evaluation[0] - r.evaluation[1]) / Math.max(1, Math.abs(r.evaluation[0]))).toBeLessThan(
      TOLERANCE,
    );
  });
});
