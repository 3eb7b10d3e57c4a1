/**
 * The DARTS mixed op (Liu et al. 2019, eq. 2), as the builder's NasMix computes it: Σᵢ softmax(α_e)ᵢ ·
 * oᵢ(x) over the candidate ops' outputs, α_e being row `edge` of the cell's α variable ("alpha/<cell>").
 */
import type { MixNode } from '../../../core/arch.js';
import type { Sym } from '../graph.js';
import type { LowerContext } from './context.js';

export function lowerMix(ctx: LowerContext, node: MixNode, inputs: readonly Sym[]): Sym {
  const { e } = ctx;
  const alpha = ctx.weight('alpha', node.alpha, ctx.alphaShape(node.alpha), 'alpha');
  const ops = inputs.length;
  const row = e.g.op(
    'GatherV2',
    [alpha, e.constI([node.edge], []), e.constI([0], [])],
    { Tparams: { type: 'float32' }, Tindices: { type: 'int32' }, Taxis: { type: 'int32' }, batch_dims: { i: 0 } },
    [ops],
  );
  const weights = e.g.add(
    'Unpack',
    [e.unary('Softmax', row)],
    { T: { type: 'float32' }, num: { i: ops }, axis: { i: 0 } },
    inputs.map(() => ({ shape: [], dtype: 'float32' as const })),
  ).outputs;
  return e.addN(inputs.map((x, i) => e.mul(x, weights[i] as Sym)));
}
