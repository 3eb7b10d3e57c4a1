/** Pooling ops as the builder's NasPool computes them (src/eval/build/layers/pool.ts). */
import type { AvgPoolNode, MaxPoolNode } from '../../../core/arch.js';
import { windowAttrs } from '../../../space/ops/window.js';
import { explicitPadding, hasPadding, type Sides } from '../../build/geometry.js';
import type { Sym } from '../graph.js';
import { pool } from '../nn.js';
import type { LowerContext } from './context.js';

export function lowerPool(ctx: LowerContext, node: MaxPoolNode | AvgPoolNode, x: Sym): Sym {
  const { e } = ctx;
  const fn = node.op === 'maxpool' ? 'max' : 'avg';
  const window = windowAttrs(node, 'kernel');
  if (window.pad === 'same') return pool(e, fn, x, window.kernel, window.stride, 'SAME');
  const [, h, w] = x.shape as [number, number, number];
  const sides = explicitPadding(h, w, window);
  if (fn === 'max')
    return pool(
      e,
      fn,
      hasPadding(sides) ? e.padSpatial(x, sides, Number.NEGATIVE_INFINITY) : x,
      window.kernel,
      window.stride,
      'VALID',
    );
  const mean = pool(e, fn, hasPadding(sides) ? e.padSpatial(x, sides) : x, window.kernel, window.stride, 'VALID');
  const includePad = node.op === 'avgpool' ? (node.includePad ?? true) : true;
  if (includePad || !hasPadding(sides)) return mean;
  const [, ho, wo] = mean.shape as [number, number, number];
  return e.div(mean, e.constF(realFraction(h, w, sides, window.kernel, window.stride, ho, wo), [1, ho, wo, 1]));
}

/** The share of each window that covers real (unpadded) elements. */
function realFraction(
  h: number,
  w: number,
  sides: Sides,
  kernel: readonly [number, number],
  stride: readonly [number, number],
  ho: number,
  wo: number,
): Float32Array {
  const out = new Float32Array(ho * wo);
  const covered = (start: number, k: number, size: number) =>
    Math.max(0, Math.min(start + k, size) - Math.max(start, 0));
  for (let i = 0; i < ho; i++) {
    for (let j = 0; j < wo; j++) {
      const rows = covered(i * stride[0] - sides[0][0], kernel[0], h);
      const cols = covered(j * stride[1] - sides[1][0], kernel[1], w);
      out[i * wo + j] = (rows * cols) / (kernel[0] * kernel[1]);
    }
  }
  return out;
}
