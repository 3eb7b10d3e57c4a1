import type { ArchNode, FpnNode, Shape } from '../../../core/arch.js';
import { POS_INT, oneOf, opt, req } from '../attrs.js';
import { ShapeError, fmt, hwc, type BlockDef } from '../types.js';
import { act, conv, part } from './parts.js';

function scaleBetween(fine: Shape, coarse: Shape, i: number): [number, number] {
  const [h, w] = hwc(fine, 'fpn');
  const [hc, wc] = hwc(coarse, 'fpn');
  if (h % hc !== 0 || w % wc !== 0) {
    throw new ShapeError(
      `input ${i + 2} ${fmt(coarse)} must be an integer downscale of input ${i + 1} ${fmt(fine)} for top-down upsampling (inputs go finest to coarsest)`,
    );
  }
  return [h / hc, w / wc];
}

/**
 * PANet's bottom-up path (Liu et al. 2018) over the smoothed maps P_i: N_0 = P_0, then
 * N_{i+1} = ReLU(conv3×3(ReLU(conv3×3 stride s(N_i)) + P_{i+1})), s the scale between the levels
 * (a 3×3 conv with padding 1 and stride s maps an s-times finer map onto the coarser one exactly).
 */
function bottomUp(n: FpnNode, smoothed: (i: number) => string, scales: readonly [number, number][]): ArchNode[] {
  const p = (name: string): string => part(n.id, name);
  const out = (i: number): string => (i === 0 ? n.id : p(`out${i}`));
  return scales.flatMap(([sh, sw], i) => [
    {
      ...conv(p(`down${i}`), out(i), n.filters, 3, { padding: 1, bias: true }),
      stride: sh === sw ? sh : [sh, sw],
    } as const,
    act(p(`down${i}_relu`), p(`down${i}`), 'relu'),
    { id: p(`bu${i + 1}`), op: 'add', inputs: [p(`down${i}_relu`), smoothed(i + 1)] } as const,
    conv(p(`bu${i + 1}_conv`), p(`bu${i + 1}`), n.filters, 3, { padding: 1, bias: true }),
    act(out(i + 1), p(`bu${i + 1}_conv`), 'relu'),
  ]);
}

/**
 * Feature-pyramid fusion (Lin et al. 2017): lateral 1×1 to `filters` on every input, top-down
 * upsampling of the coarser merged map added to the lateral, 3×3 smoothing; with path
 * 'bidirectional', PANet's bottom-up path after it. Outputs: `<id>` (finest), `<id>/out1` … (coarser
 * levels); in the bidirectional path the smoothed coarser maps are `<id>/smooth<i>`.
 */
export const fpn: BlockDef<FpnNode> = {
  kind: 'block',
  op: 'fpn',
  summary:
    "feature-pyramid fusion of maps finest→coarsest: lateral 1×1, top-down upsample + add, 3×3 smoothing; path bidirectional adds PANet's bottom-up path",
  attrs: {
    filters: req(POS_INT),
    interpolation: opt(oneOf(['nearest', 'bilinear']), 'nearest'),
    path: opt(oneOf(['top-down', 'bidirectional']), 'top-down'),
  },
  arity: { min: 2 },
  expand(n, inputs) {
    const p = (name: string): string => part(n.id, name);
    const last = inputs.length - 1;
    const bidirectional = n.path === 'bidirectional';
    const scales = inputs.slice(1).map((coarse, i) => scaleBetween(inputs[i] ?? [], coarse, i));
    const nodes: ArchNode[] = n.inputs.map((x, i) => conv(p(`lat${i}`), x, n.filters, 1, { bias: true }));
    const merged = (i: number): string => (i === last ? p(`lat${last}`) : p(`td${i}`));
    for (let i = last - 1; i >= 0; i--) {
      const interpolation = n.interpolation ?? 'nearest';
      nodes.push(
        {
          id: p(`up${i}`),
          op: 'upsample',
          inputs: [merged(i + 1)],
          scale: scales[i] as [number, number],
          interpolation,
        },
        { id: p(`td${i}`), op: 'add', inputs: [p(`lat${i}`), p(`up${i}`)] },
      );
    }
    const smoothed = (i: number): string => (i === 0 ? n.id : p(bidirectional ? `smooth${i}` : `out${i}`));
    for (let i = last; i >= 0; i--) nodes.push(conv(smoothed(i), merged(i), n.filters, 3, { padding: 1, bias: true }));
    return bidirectional ? [...nodes, ...bottomUp(n, smoothed, scales)] : nodes;
  },
};
