import { describe, expect, it } from 'vitest';
import { assertArch } from '../../../../src/space/index.js';
import { DARTS_OP_NAMES, dartsOpNodes, type DartsOpName } from '../../../../src/space/spaces/darts/index.js';

const C = 4;

/** Trainable parameters of each op with C = 4, by hand from operations.py (convs without bias, BN 2C). */
const PARAMS: Record<DartsOpName, readonly [stride1: number, stride2: number]> = {
  none: [0, 0],
  max_pool_3x3: [0, 0],
  avg_pool_3x3: [0, 0],
  skip_connect: [0, 2 * (4 * 2) + 8], // stride 2: FactorizedReduce, two 1×1 convs 4 → 2, BN
  sep_conv_3x3: [2 * (9 * 4 + 16 + 8), 2 * (9 * 4 + 16 + 8)],
  sep_conv_5x5: [2 * (25 * 4 + 16 + 8), 2 * (25 * 4 + 16 + 8)],
  sep_conv_7x7: [2 * (49 * 4 + 16 + 8), 2 * (49 * 4 + 16 + 8)],
  dil_conv_3x3: [9 * 4 + 16 + 8, 9 * 4 + 16 + 8],
  dil_conv_5x5: [25 * 4 + 16 + 8, 25 * 4 + 16 + 8],
  conv_7x1_1x7: [7 * 16 + 7 * 16 + 8, 7 * 16 + 7 * 16 + 8],
};

function resolved(op: DartsOpName, stride: 1 | 2, input: readonly number[]) {
  const nodes = dartsOpNodes(op, { id: 'e', input: 'input', channels: C, stride });
  const arch = assertArch({ version: 1, input: { shape: input }, nodes, output: 'e' });
  return { shape: arch.nodes.at(-1)?.shape, trainable: arch.nodes.reduce((s, n) => s + n.params.trainable, 0) };
}

describe.each(DARTS_OP_NAMES.map((op) => [op]))('%s', (op) => {
  it('keeps the size at stride 1 and halves it (rounding up) at stride 2, with C channels', () => {
    expect(resolved(op, 1, [8, 8, C]).shape).toEqual([8, 8, C]);
    expect(resolved(op, 2, [8, 8, C]).shape).toEqual([4, 4, C]);
    if (op !== 'skip_connect') expect(resolved(op, 2, [7, 7, C]).shape).toEqual([4, 4, C]);
  });

  it('has the hand-counted parameters', () => {
    const [s1, s2] = PARAMS[op];
    expect([resolved(op, 1, [8, 8, C]).trainable, resolved(op, 2, [8, 8, C]).trainable]).toEqual([s1, s2]);
  });
});
