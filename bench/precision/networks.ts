/** The networks the precision bench trains (32×32×3 or MNIST 28×28×1, 10 classes). */
import type { ArchNode } from '../../src/core/arch.js';
import type { ResolvedArch } from '../../src/space/resolve.js';
import { assertArch } from '../../src/space/validate.js';

/** conv-BN-ReLU blocks of 3×3 convolutions (no bias before BN), a 2×2 max-pool after each `pool` index, GAP (or flatten), dense. */
export function convNet(
  widths: readonly number[],
  pools: readonly number[],
  inputShape: readonly [number, number, number],
  head: 'gap' | 'flatten' = 'gap',
): ResolvedArch {
  const nodes: ArchNode[] = [];
  let last = 'input';
  widths.forEach((filters, i) => {
    nodes.push(
      { id: `conv${i + 1}`, op: 'conv', inputs: [last], filters, kernel: 3, padding: 'same', bias: false },
      { id: `bn${i + 1}`, op: 'bn', inputs: [`conv${i + 1}`] },
      { id: `relu${i + 1}`, op: 'act', fn: 'relu', inputs: [`bn${i + 1}`] },
    );
    last = `relu${i + 1}`;
    if (pools.includes(i)) {
      nodes.push({ id: `pool${i + 1}`, op: 'maxpool', inputs: [last], kernel: 2, stride: 2 });
      last = `pool${i + 1}`;
    }
  });
  nodes.push(
    head === 'gap' ? { id: 'head', op: 'gap', inputs: [last] } : { id: 'head', op: 'flatten', inputs: [last] },
    { id: 'logits', op: 'dense', units: 'classes', inputs: ['head'] },
  );
  return assertArch({ version: 1, nodes, output: 'logits' }, { inputShape, classes: 10 });
}

/** The brief's conv-heavy network: 3×3 convolutions 32 → 64 → 128 channels on 32×32×3 with BN and ReLU, a max-pool before the last. */
export const convHeavy = () => convNet([32, 64, 128], [1], [32, 32, 3]);

/** A small MNIST network for the convergence check: 3×3 convolutions 32 → 64 with BN, ReLU and max-pools, flatten, dense. */
export const mnistNet = () => convNet([32, 64], [0, 1], [28, 28, 1], 'flatten');
