import type { FactorizedReduceNode } from '../../../core/arch.js';
import { BOOL, POS_INT, opt, req } from '../attrs.js';
import { ShapeError, first, fmt, hwc, type BlockDef } from '../types.js';
import { act, bn, conv, part } from './parts.js';

/**
 * DARTS FactorizedReduce (Liu et al. 2019): ReLU, two 1×1 stride-2 convs of filters/2, the second on
 * the input shifted by one pixel (crop top/left), concatenated, BN. A stride-2 identity.
 */
export const factorizedReduce: BlockDef<FactorizedReduceNode> = {
  kind: 'block',
  op: 'factorized_reduce',
  summary: 'factorized reduce (stride-2 identity): ReLU, two offset 1×1 stride-2 convs, concat, BN',
  attrs: { filters: req(POS_INT), affine: opt(BOOL, true) },
  arity: { min: 1, max: 1 },
  expand(n, inputs) {
    const shape = first(inputs);
    const [h, w] = hwc(shape, 'factorized_reduce');
    if (n.filters % 2 !== 0) throw new ShapeError(`expected an even number of filters, got ${n.filters}`, 'filters');
    if (h % 2 !== 0 || w % 2 !== 0) throw new ShapeError(`expected an even height and width, got input ${fmt(shape)}`);
    const p = (name: string): string => part(n.id, name);
    const half = n.filters / 2;
    return [
      act(p('relu'), n.inputs[0] ?? '', 'relu'),
      conv(p('conv_a'), p('relu'), half, 1, { stride: 2 }),
      {
        id: p('shift'),
        op: 'crop',
        inputs: [p('relu')],
        crop: [
          [1, 0],
          [1, 0],
        ],
      },
      conv(p('conv_b'), p('shift'), half, 1, { stride: 2 }),
      { id: p('cat'), op: 'concat', inputs: [p('conv_a'), p('conv_b')] },
      bn(n.id, p('cat'), n.affine !== false),
    ];
  },
};
