// The network each op-catalog case is tested in (test/eval/compile/ops.test.ts, test/eval/export/catalog.test.ts).
import type { ArchNode } from '../../../src/core/arch.js';
import { assertArch, type ResolvedArch } from '../../../src/space/index.js';

export const INPUT = [9, 9, 4] as const;

/** input → the op under test (named "op") → extra nodes → BN → ReLU → GAP → dense logits (5 classes). */
export function net(
  op: Record<string, unknown>,
  extra: readonly ArchNode[] = [],
  inputShape: readonly number[] = INPUT,
): ResolvedArch {
  const last = extra.at(-1)?.id ?? 'op';
  const nodes = [
    { id: 'stem', op: 'conv', inputs: ['input'], filters: 4, kernel: 3, padding: 'same', bias: false },
    { inputs: ['stem'], ...op, id: 'op' } as unknown as ArchNode,
    ...extra,
    { id: 'head_bn', op: 'bn', inputs: [last] },
    { id: 'head_relu', op: 'act', fn: 'relu', inputs: ['head_bn'] },
    { id: 'gap', op: 'gap', inputs: ['head_relu'] },
    { id: 'logits', op: 'dense', units: 'classes', inputs: ['gap'] },
  ] as ArchNode[];
  return assertArch({ version: 1, nodes, output: 'logits' }, { inputShape, classes: 5 });
}
