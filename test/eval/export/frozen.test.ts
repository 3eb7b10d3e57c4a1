// compileFrozen (src/eval/compile/frozen.ts): the inference graph with every weight a constant keeps
// only what the logits need (no variables, no seed, no training ops), and names a missing weight.
import { describe, expect, it } from 'vitest';
import { compileFrozen } from '../../../src/eval/compile/frozen.js';
import { assertArch } from '../../../src/space/index.js';

const arch = assertArch(
  {
    version: 1,
    nodes: [
      { id: 'conv', op: 'conv', inputs: ['input'], filters: 3, kernel: 3, padding: 'same', bias: false },
      { id: 'bn', op: 'bn', inputs: ['conv'] },
      { id: 'drop', op: 'dropout', rate: 0.5, inputs: ['bn'] },
      { id: 'gap', op: 'gap', inputs: ['drop'] },
      { id: 'logits', op: 'dense', units: 'classes', inputs: ['gap'] },
    ],
    output: 'logits',
  },
  { inputShape: [5, 5, 2], classes: 4 },
);

const filled = (shape: number[]) => ({ shape, data: new Float32Array(shape.reduce((p, d) => p * d, 1)).fill(0.5) });
const weights = new Map([
  ['conv/kernel', filled([3, 3, 2, 3])],
  ...['gamma', 'beta', 'moving_mean', 'moving_variance'].map((w) => [`bn/${w}`, filled([3])] as const),
  ['logits/kernel', filled([3, 4])],
  ['logits/bias', filled([4])],
]);

describe('compileFrozen', () => {
  it('keeps the inference pass only: one placeholder x, the weights as named constants, an Identity logits', () => {
    const frozen = compileFrozen(arch, new Map([...weights, ['unused/kernel', filled([2])]]));
    const ops = frozen.nodes.map((n) => n.op);
    expect(ops.filter((op) => op === 'Placeholder')).toHaveLength(1);
    expect(frozen.input.node.name).toBe('x');
    expect(frozen.input.shape).toEqual([-1, 5, 5, 2]);
    expect(frozen.logits.node).toMatchObject({ name: 'logits', op: 'Identity' });
    expect(frozen.logits.shape).toEqual([-1, 4]);
    for (const op of ['VarHandleOp', 'ReadVariableOp', 'AssignVariableOp', 'StatelessRandomUniform'])
      expect(ops).not.toContain(op);
    expect(frozen.nodes.find((n) => n.op === 'FusedBatchNormV3')?.attrs.is_training).toEqual({ b: false });
    const names = frozen.nodes.filter((n) => n.op === 'Const').map((n) => n.name);
    expect(names).toEqual(
      expect.arrayContaining(['weights/conv/kernel', 'weights/bn/moving_variance', 'weights/logits/bias']),
    );
    expect(names).not.toContain('weights/unused/kernel');
  });

  it('names the weights it has no value for', () => {
    const partial = new Map([...weights].filter(([name]) => !name.startsWith('bn/')));
    expect(() => compileFrozen(arch, partial)).toThrow(
      /no value for weights bn\/gamma, bn\/beta, bn\/moving_mean, bn\/moving_variance/,
    );
  });
});
