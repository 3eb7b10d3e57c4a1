/**
 * Lowers one primitive node of a resolved architecture to TensorFlow ops, computing what the eager
 * builder's layer for it computes (src/eval/build/primitives.ts), in training or inference mode.
 */
import type { PrimitiveNode } from '../../../core/arch.js';
import { explicitSides } from '../../../space/ops/attrs.js';
import { unhandledOp } from '../../../space/ops/unhandled-op.js';
import { pairOf } from '../../../space/ops/window.js';
import type { Sym } from '../graph.js';
import { biasAdd, matMul, resize } from '../nn.js';
import { lowerActivation } from './activation.js';
import type { LowerContext } from './context.js';
import { lowerConv } from './conv.js';
import { lowerDeconv } from './deconv.js';
import { lowerMix } from './mix.js';
import { lowerBatchNorm } from './norm.js';
import { lowerPool } from './pool.js';

export type { LowerContext, WeightKind } from './context.js';

/** The output of `node` (its tfjs layer named `layer`) on `inputs`. Every op has its case (`unhandledOp`). */
export function lowerNode(ctx: LowerContext, layer: string, node: PrimitiveNode, inputs: readonly Sym[]): Sym {
  const { e } = ctx;
  const x = inputs[0] as Sym;
  switch (node.op) {
    case 'conv':
    case 'dwconv':
    case 'sepconv':
      return lowerConv(ctx, layer, node, x);
    case 'maxpool':
    case 'avgpool':
      return lowerPool(ctx, node, x);
    case 'gap':
      return e.reduce('Mean', x, [1, 2]);
    case 'gmp':
      return e.reduce('Max', x, [1, 2]);
    case 'channel_pool':
      return e.reduce(node.fn === 'mean' ? 'Mean' : 'Max', x, [3], true);
    case 'bn':
      return lowerBatchNorm(ctx, layer, node, x);
    case 'act':
      return lowerActivation(ctx, node, x);
    case 'dropout':
      return ctx.training && node.rate > 0 ? dropout(ctx, x, node.rate) : x;
    case 'drop_path':
      // One draw per example: the mask's shape is [N, 1, …, 1] (stochastic depth, 'row' mode).
      return ctx.training && node.rate > 0
        ? dropout(
            ctx,
            x,
            node.rate,
            x.shape.map((d, i) => (i === 0 ? d : 1)),
          )
        : x;
    case 'dense': {
      const units = node.units as number;
      const y = matMul(e, x, ctx.weight(layer, 'kernel', [x.shape[1] as number, units], 'kernel'));
      return (node.bias ?? true) ? biasAdd(e, y, ctx.weight(layer, 'bias', [units], 'bias')) : y;
    }
    case 'flatten':
      return e.reshape(x, [-1, x.shape.slice(1).reduce((p, d) => p * d, 1)]);
    case 'identity':
      return x;
    case 'zero': {
      const stride = pairOf(node.stride, 1);
      return e.zerosLike(stride[0] === 1 && stride[1] === 1 ? x : e.subsample(x, stride));
    }
    case 'crop': {
      const [[top, bottom], [left, right]] = explicitSides(node.crop);
      const [n, h, w, c] = x.shape as [number, number, number, number];
      return e.slice(x, [0, top, left, 0], [n === -1 ? -1 : n, h - top - bottom, w - left - right, c]);
    }
    case 'upsample': {
      const [sh, sw] = pairOf(node.scale, 1);
      return resize(e, x, [(x.shape[1] as number) * sh, (x.shape[2] as number) * sw], node.interpolation ?? 'nearest');
    }
    case 'add':
      return e.addN(inputs);
    case 'concat':
      return e.concat(inputs, x.shape.length - 1);
    case 'mul': {
      const b = inputs[1] as Sym;
      return e.mul(x, b.shape.length === 2 ? e.reshape(b, [-1, 1, 1, b.shape[1] as number]) : b);
    }
    case 'deconv':
      return lowerDeconv(ctx, layer, node, x);
    case 'mix':
      return lowerMix(ctx, node, inputs);
    default:
      return unhandledOp(node, 'the compiler (lowerNode, src/eval/compile/lower/index.ts)');
  }
}

/**
 * Inverted dropout: keep each entry of a mask shaped `noise` (x's shape, or one that broadcasts to it)
 * with probability 1 − rate and scale the kept by 1 / (1 − rate).
 */
function dropout(ctx: LowerContext, x: Sym, rate: number, noise: readonly number[] = x.shape): Sym {
  const { e } = ctx;
  const u = e.g.op(
    'StatelessRandomUniform',
    [e.shapeTensor(noise, x), ctx.randomSeed()],
    { dtype: { type: 'float32' }, T: { type: 'int32' }, Tseed: { type: 'int32' } },
    noise,
  );
  const keep = e.cast(e.compare('GreaterEqual', u, e.scalar(rate)), 'float32');
  return e.mul(x, e.mul(keep, e.scalar(1 / (1 - rate))));
}
