// The FPN block as the builder builds it against the formulas written with plain tfjs ops, on the
// built model's own (seeded) weights: Lin et al. 2017's top-down path and PANet's bottom-up path
// (Liu et al. 2018: N_0 = P_0, N_{i+1} = ReLU(conv3×3(ReLU(conv3×3 stride s(N_i)) + P_{i+1}))).
import type { LayersModel, Tensor, Tensor4D } from '@tensorflow/tfjs-node';
import { describe, expect, it } from 'vitest';
import type { ArchNode, Shape } from '../../../src/core/arch.js';
import { loadTf } from '../../../src/backend/tf.js';
import { buildModel, layerNames } from '../../../src/eval/build/build-model.js';
import type { ResolvedArch } from '../../../src/space/index.js';
import { costTotal, maxAbsDiff, resolve } from './helpers.js';

const tf = loadTf();
const TOL = 1e-5;
const OUTPUTS = ['fpn', 'fpn/out1', 'fpn/out2'];

interface Case {
  readonly name: string;
  readonly input: Shape;
  /** Average-pool windows making the coarser levels from the input, each from the previous level. */
  readonly pools: readonly (readonly [number, number])[];
  readonly path: 'top-down' | 'bidirectional';
}

const CASES: readonly Case[] = [
  {
    name: 'three levels, scale 2, bidirectional',
    input: [8, 8, 3],
    pools: [
      [2, 2],
      [2, 2],
    ],
    path: 'bidirectional',
  },
  {
    name: 'three levels, scale 2, top-down',
    input: [8, 8, 3],
    pools: [
      [2, 2],
      [2, 2],
    ],
    path: 'top-down',
  },
  {
    name: 'two levels, scale [2, 4] (stride [2, 4] down), bidirectional',
    input: [8, 8, 3],
    pools: [[2, 4]],
    path: 'bidirectional',
  },
];

function nodesOf(c: Case): ArchNode[] {
  const levels = c.pools.map((k, i): ArchNode => ({
    id: `c${i + 1}`,
    op: 'avgpool',
    inputs: [i === 0 ? 'input' : `c${i}`],
    kernel: k,
    stride: k,
  }));
  const inputs = ['input', ...levels.map((n) => n.id)];
  return [...levels, { id: 'fpn', op: 'fpn', inputs, filters: 5, path: c.path }];
}

/** Kernel and bias of the layer built for node `id`. */
function weights(model: LayersModel, arch: ResolvedArch, id: string): { kernel: Tensor4D; bias: Tensor } {
  const [kernel, bias] = model.getLayer(layerNames(arch).byNode.get(id) as string).getWeights();
  return { kernel: kernel as Tensor4D, bias: bias as Tensor };
}

/** The formulas, written out: conv with PyTorch-style symmetric padding, nearest upsampling by repetition. */
function reference(model: LayersModel, arch: ResolvedArch, c: Case, x: Tensor4D): Tensor4D[] {
  const conv = (id: string, t: Tensor4D, kernel: number, stride: readonly [number, number] = [1, 1]): Tensor4D => {
    const w = weights(model, arch, `fpn/${id}`);
    const pad = (kernel - 1) / 2;
    const padded = tf.pad(t, [
      [0, 0],
      [pad, pad],
      [pad, pad],
      [0, 0],
    ]);
    return tf.add(tf.conv2d(padded, w.kernel, [stride[0], stride[1]], 'valid'), w.bias) as Tensor4D;
  };
  const repeat = (t: Tensor4D, [sh, sw]: readonly [number, number]): Tensor4D => {
    const [b, h, w, ch] = t.shape;
    return tf.tile(t.reshape([b, h, 1, w, 1, ch]), [1, 1, sh, 1, sw, 1]).reshape([b, h * sh, w * sw, ch]);
  };
  const inputs = c.pools.reduce<Tensor4D[]>(
    (acc, k) => [...acc, tf.avgPool(acc.at(-1) as Tensor4D, [k[0], k[1]], [k[0], k[1]], 'valid')],
    [x],
  );
  const last = inputs.length - 1;
  const lateral = inputs.map((t, i) => conv(`lat${i}`, t, 1));
  const merged: Tensor4D[] = [];
  merged[last] = lateral[last] as Tensor4D;
  for (let i = last - 1; i >= 0; i--)
    merged[i] = tf.add(lateral[i] as Tensor4D, repeat(merged[i + 1] as Tensor4D, c.pools[i] as [number, number]));
  const smoothId = (i: number) => (i === 0 ? 'fpn' : c.path === 'bidirectional' ? `fpn/smooth${i}` : `fpn/out${i}`);
  const smoothed = merged.map((m, i) => {
    const w = weights(model, arch, smoothId(i));
    return tf.add(
      tf.conv2d(
        tf.pad(m, [
          [0, 0],
          [1, 1],
          [1, 1],
          [0, 0],
        ]),
        w.kernel,
        1,
        'valid',
      ),
      w.bias,
    ) as Tensor4D;
  });
  if (c.path === 'top-down') return smoothed;
  const out: Tensor4D[] = [smoothed[0] as Tensor4D];
  for (let i = 0; i < last; i++) {
    const down = tf.relu(conv(`down${i}`, out[i] as Tensor4D, 3, c.pools[i] as [number, number])) as Tensor4D;
    out.push(tf.relu(conv(`bu${i + 1}_conv`, tf.add(down, smoothed[i + 1] as Tensor4D), 3)) as Tensor4D);
  }
  return out;
}

describe('fpn built by the builder equals the formulas in plain tfjs (same weights)', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const outputs = OUTPUTS.slice(0, c.pools.length + 1);
    const arch = resolve(nodesOf(c), c.input, { output: outputs });
    const before = tf.memory().numTensors;
    const model = buildModel(arch, { seed: `fpn/${c.name}` });
    try {
      expect(model.countParams()).toBe(costTotal(arch));
      const diffs = tf.tidy(() => {
        const x = tf.randomNormal([2, ...c.input] as [number, number, number, number], 0, 1, 'float32', 3) as Tensor4D;
        const built = [model.predict(x)].flat() as Tensor[];
        const expected = reference(model, arch, c, x);
        return built.map((t, i) => {
          expect(t.shape).toEqual(expected[i]?.shape);
          return maxAbsDiff(t.dataSync(), expected[i]?.dataSync() ?? []);
        });
      });
      expect(diffs).toHaveLength(outputs.length);
      for (const d of diffs) expect(d).toBeLessThan(TOL);
    } finally {
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
