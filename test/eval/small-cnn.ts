// The small MNIST CNN several slow tests train: (conv3×3-BN-ReLU) ×2 with a max-pool between,
// flatten, dense. (With a global average pool instead of flatten this net reaches only about 50%
// after one epoch: too shallow for GAP.)
import type { ArchNode } from '../../src/core/arch.js';
import { assertArch, type ResolvedArch } from '../../src/space/index.js';

export const SMALL_CNN_NODES: readonly ArchNode[] = [
  { id: 'c1', op: 'conv', inputs: ['input'], filters: 16, kernel: 3, padding: 'same', bias: false },
  { id: 'b1', op: 'bn', inputs: ['c1'] },
  { id: 'r1', op: 'act', fn: 'relu', inputs: ['b1'] },
  { id: 'p1', op: 'maxpool', inputs: ['r1'], kernel: 2, stride: 2 },
  { id: 'c2', op: 'conv', inputs: ['p1'], filters: 32, kernel: 3, padding: 'same', bias: false },
  { id: 'b2', op: 'bn', inputs: ['c2'] },
  { id: 'r2', op: 'act', fn: 'relu', inputs: ['b2'] },
  { id: 'flat', op: 'flatten', inputs: ['r2'] },
  { id: 'logits', op: 'dense', units: 'classes', inputs: ['flat'] },
];

export function smallCnn(inputShape: readonly number[], classes: number): ResolvedArch {
  return assertArch({ version: 1, nodes: [...SMALL_CNN_NODES], output: 'logits' }, { inputShape, classes });
}
