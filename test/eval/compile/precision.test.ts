// Mixed precision of the compiled training step (src/eval/compile/precision.ts): which nodes go to
// bfloat16, and that a bf16 step computes the float32 step's loss and update to bfloat16's precision
// while the variables (master weights), evaluation and prediction stay float32.
import type { Tensor } from '@tensorflow/tfjs-node';
import { describe, expect, it } from 'vitest';
import { loadTf } from '../../../src/backend/tf.js';
import type { ArchNode } from '../../../src/core/arch.js';
import { buildModel } from '../../../src/eval/build/build-model.js';
import { compileArch, compileFromModel } from '../../../src/eval/compile/index.js';
import { lowerPrecision, trainActivationOp } from '../../../src/eval/compile/precision.js';
import { resolveTrainConfig } from '../../../src/eval/train/index.js';
import { assertArch } from '../../../src/space/index.js';
import { batchFor, maxDifference } from './helpers.js';

const nodes: ArchNode[] = [
  { id: 'c1', op: 'conv', inputs: ['input'], filters: 8, kernel: 3, padding: 'same', bias: false },
  { id: 'b1', op: 'bn', inputs: ['c1'] },
  { id: 'r1', op: 'act', fn: 'relu', inputs: ['b1'] },
  { id: 'p1', op: 'maxpool', inputs: ['r1'], kernel: 2, stride: 2 },
  { id: 'c2', op: 'conv', inputs: ['p1'], filters: 8, kernel: 3, padding: 'same', bias: true },
  { id: 'add', op: 'add', inputs: ['c2', 'p1'] },
  { id: 'gap', op: 'gap', inputs: ['add'] },
  { id: 'logits', op: 'dense', units: 'classes', inputs: ['gap'] },
];
const arch = assertArch({ version: 1, nodes, output: 'logits' }, { inputShape: [12, 12, 3], classes: 10 });
const train = resolveTrainConfig({ seed: 1 });

describe('bfloat16 training step', () => {
  it("lowers only the train signature's activation ops: convolutions and their gradients, BN x/y, ReLU, pooling, sums", () => {
    const graph = compileArch(arch, train);
    const lowered = lowerPrecision(graph.bytes, graph, trainActivationOp, 'bfloat16');
    const chosen = graph.nodes.filter(trainActivationOp);
    expect(chosen.every((n) => n.name.startsWith('train/'))).toBe(true);
    expect(lowered.lowered).toBe(chosen.length);
    const ops = new Set(chosen.map((n) => n.op));
    for (const op of [
      'Conv2D',
      'Conv2DBackpropInput',
      'Conv2DBackpropFilter',
      'FusedBatchNormV3',
      'FusedBatchNormGradV3',
      'Relu',
      'ReluGrad',
      'MaxPool',
      'MaxPoolGrad',
      'BiasAdd',
      'AddN',
      'MatMul',
    ])
      expect(ops, op).toContain(op);
    // Reductions, the loss, the optimizer and the moving averages stay float32.
    for (const op of [
      'BiasAddGrad',
      'Sum',
      'Mean',
      'AssignVariableOp',
      'ReadVariableOp',
      'SparseSoftmaxCrossEntropyWithLogits',
    ])
      expect(ops, op).not.toContain(op);
    // Casts only where bfloat16 activations meet float32 tensors: far fewer than the lowered ops.
    expect(lowered.castNodes).toBeGreaterThan(0);
    expect(lowered.castNodes).toBeLessThan(lowered.lowered);
  });

  it('takes the float32 step to bfloat16 precision, with float32 master weights, evaluation and prediction', async () => {
    const tf = loadTf();
    const model = buildModel(arch, { seed: 3 });
    const { x, labels } = batchFor(arch, 16, 10);
    const fp32 = await compileFromModel(arch, model, train);
    const bf16 = await compileFromModel(arch, model, { ...train, precision: 'bf16' });
    try {
      expect(bf16.evaluate(x, labels)[0]).toBe(fp32.evaluate(x, labels)[0]);
      const before = fp32.readAll();
      const [a] = fp32.train(x, labels, 0.1);
      const [b] = bf16.train(x, labels, 0.1);
      // bfloat16 keeps 8 bits of mantissa: 2⁻⁸ relative per value.
      expect(Math.abs((a as number) - (b as number)) / (a as number)).toBeLessThan(2e-2);
      const [wa, wb] = [fp32.readAll(), bf16.readAll()];
      wb.forEach((t) => expect(t.dtype).toBe('float32'));
      // Every weight moved, and moved as in float32 to a few hundredths of its own step.
      wa.forEach((t, i) => {
        const name = fp32.variables[i]?.name ?? '';
        const step = maxDifference((before[i] as Tensor).dataSync(), t.dataSync()).abs;
        if (step === 0) return;
        expect(maxDifference(t.dataSync(), (wb[i] as Tensor).dataSync()).abs, name).toBeLessThan(0.1 * step + 1e-6);
      });
      const [pa, pb] = [fp32.predict(x), bf16.predict(x)];
      expect(pb.dtype).toBe('float32');
      tf.dispose([...before, ...wa, ...wb, pa, pb]);
    } finally {
      fp32.dispose();
      bf16.dispose();
      tf.dispose([x, labels]);
      model.dispose();
    }
  });
});
