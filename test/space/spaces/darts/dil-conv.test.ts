import { afterAll, describe, expect, it } from 'vitest';
import type { ArchNode, Shape } from '../../../../src/core/arch.js';
import { loadTf } from '../../../../src/backend/tf.js';
import { buildModel } from '../../../../src/eval/build/build-model.js';
import { dartsOpNodes } from '../../../../src/space/spaces/darts/index.js';
import { Rng, maxAbsDiff, randomNd, resolve, toTensor } from '../../../eval/build/helpers.js';
import { conv2d, type Nd } from '../../../eval/build/reference-conv.js';

const tf = loadTf();
const C = 3;
const startTensors = tf.memory().numTensors;
afterAll(() => expect(tf.memory().numTensors).toBe(startTensors));

const relu = (x: Nd): Nd => ({ shape: x.shape, data: x.data.map((v) => Math.max(0, v)) });

/**
 * PyTorch's DilConv before its BN (operations.py): ReLU, depthwise k×k with stride AND dilation 2 in
 * one convolution, pointwise 1×1; computed by the oracle, which takes both at once.
 */
function pytorchDilConv(x: Nd, dw: Nd, pw: Nd, k: number, stride: number): Nd {
  const pad = [
    [k - 1, k - 1],
    [k - 1, k - 1],
  ] as const;
  const depthwise = conv2d(relu(x), dw, undefined, { stride: [stride, stride], dilation: [2, 2], pad, groups: C });
  return conv2d(depthwise, pw, undefined, {
    stride: [1, 1],
    dilation: [1, 1],
    pad: [
      [0, 0],
      [0, 0],
    ],
    groups: 1,
  });
}

describe.each([
  [3, 2, [8, 8, C]],
  [3, 2, [7, 9, C]],
  [5, 2, [9, 8, C]],
  [5, 1, [6, 6, C]],
] as const)('dil_conv k = %i, stride %i, input %j', (k, stride, input) => {
  it("equals the strided dilated convolution of the paper's code (before BN), within 1e-4", () => {
    const nodes = dartsOpNodes(k === 3 ? 'dil_conv_3x3' : 'dil_conv_5x5', {
      id: 'e',
      input: 'input',
      channels: C,
      stride,
    });
    const arch = resolve(nodes, input as Shape, { output: 'e.pw' });
    const model = buildModel(arch, { seed: 1 });
    const rng = new Rng(`dil-conv/${k}/${stride}/${input.join('x')}`);
    try {
      const [dwLayer, pwLayer] = [model.getLayer('e.dw'), model.getLayer('e.pw')];
      expect(dwLayer.weights.map((w) => w.shape)).toEqual([[k, k, 1, C]]);
      const dw = randomNd(rng, [k, k, 1, C]);
      const pw = randomNd(rng, [1, 1, C, C]);
      const tensors = [toTensor(dw), toTensor(pw)];
      dwLayer.setWeights([tensors[0] as ReturnType<typeof toTensor>]);
      pwLayer.setWeights([tensors[1] as ReturnType<typeof toTensor>]);
      tf.dispose(tensors);
      const x = randomNd(rng, [2, ...input]);
      const expected = pytorchDilConv(x, dw, pw, k, stride);
      const got = tf.tidy(() => {
        const y = model.predict(toTensor(x)) as ReturnType<typeof toTensor>;
        return { shape: y.shape, data: y.dataSync() as Float32Array };
      });
      expect(got.shape).toEqual(expected.shape);
      expect(got.shape.slice(1)).toEqual([Math.ceil(input[0] / stride), Math.ceil(input[1] / stride), C]);
      expect(maxAbsDiff(got.data, expected.data)).toBeLessThan(1e-4);
    } finally {
      model.dispose();
    }
  });
});

it('the nodes are ReLU, depthwise with the stride and dilation 2, pointwise, BN', () => {
  const nodes: ArchNode[] = dartsOpNodes('dil_conv_5x5', { id: 'e', input: 'x', channels: 4, stride: 2 });
  expect(nodes.map((n) => [n.id, n.op])).toEqual([
    ['e.relu', 'act'],
    ['e.dw', 'dwconv'],
    ['e.pw', 'conv'],
    ['e', 'bn'],
  ]);
  expect(nodes[1]).toMatchObject({ kernel: 5, dilation: 2, padding: 4, stride: 2 });
  expect(nodes[2]).toMatchObject({ kernel: 1, stride: 1 });
});
