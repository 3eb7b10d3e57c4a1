import type { ArchNode, FpnNode, Shape } from '../../../core/arch.js';
import { POS_INT, oneOf, opt, req } from '../attrs.js';
import { ShapeError, fmt, hwc, type BlockDef } from '../types.js';
import { conv, part } from './parts.js';

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
 * Feature-pyramid fusion (Lin et al. 2017): lateral 1×1 to `filters` on every input, top-down
 * upsampling of the coarser merged map added to the lateral, 3×3 smoothing. Outputs: `<id>` (finest),
 * `<id>/out1` … (coarser levels).
 */
export const fpn: BlockDef<FpnNode> = {
  kind: 'block',
  op: 'fpn',
  summary: 'feature-pyramid fusion of maps finest→coarsest: lateral 1×1, top-down upsample + add, 3×3 smoothing',
  attrs: { filters: req(POS_INT), interpolation: opt(oneOf(['nearest', 'bilinear']), 'nearest') },
  arity: { min: 2 },
  expand(n, inputs) {
    const p = (name: string): string => part(n.id, name);
    const last = inputs.length - 1;
    const nodes: ArchNode[] = n.inputs.map((x, i) => conv(p(`lat${i}`), x, n.filters, 1, { bias: true }));
    const merged = (i: number): string => (i === last ? p(`lat${last}`) : p(`td${i}`));
    for (let i = last - 1; i >= 0; i--) {
      const scale = scaleBetween(inputs[i] ?? [], inputs[i + 1] ?? [], i);
      const interpolation = n.interpolation ?? 'nearest';
      nodes.push(
        { id: p(`up${i}`), op: 'upsample', inputs: [merged(i + 1)], scale, interpolation },
        { id: p(`td${i}`), op: 'add', inputs: [p(`lat${i}`), p(`up${i}`)] },
      );
    }
    for (let i = last; i >= 0; i--) {
      nodes.push(conv(i === 0 ? n.id : p(`out${i}`), merged(i), n.filters, 3, { padding: 1, bias: true }));
    }
    return nodes;
  },
};
