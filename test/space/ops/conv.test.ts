import { describe, expect, it } from 'vitest';
import { resolveOne } from '../helpers.js';

describe('conv', () => {
  it('grouped 3×3: params k²·(Cin/g)·Cout + bias, MACs k²·(Cin/g)·Cout·Ho·Wo', () => {
    const { node } = resolveOne([10, 10, 8], { id: 'c', op: 'conv', filters: 16, kernel: 3, padding: 1, groups: 4 });
    expect(node.shape).toEqual([10, 10, 16]);
    expect(node.params).toEqual({ trainable: 3 * 3 * 2 * 16 + 16, nonTrainable: 0 });
    expect(node.macs).toBe(28_800);
  });

  it('dilation widens the kernel: 3×3 dilated 2 on 9×9 valid → 5×5', () => {
    const { node } = resolveOne([9, 9, 4], { id: 'c', op: 'conv', filters: 2, kernel: 3, dilation: 2, bias: false });
    expect(node.shape).toEqual([5, 5, 2]);
    expect(node.params.trainable).toBe(72);
    expect(node.macs).toBe(72 * 25);
  });

  it('explicit asymmetric padding and stride: [[1,0],[2,1]], 3×3 /2 on 8×7 → 4×4', () => {
    const { node } = resolveOne([8, 7, 1], {
      id: 'c',
      op: 'conv',
      filters: 1,
      kernel: 3,
      stride: 2,
      padding: [
        [1, 0],
        [2, 1],
      ],
    });
    expect(node.shape).toEqual([4, 4, 1]);
  });

  it('"same" follows TensorFlow: ceil(in / stride)', () => {
    expect(
      resolveOne([7, 7, 3], { id: 'c', op: 'conv', filters: 5, kernel: 3, stride: 2, padding: 'same' }).node.shape,
    ).toEqual([4, 4, 5]);
    expect(
      resolveOne([7, 6, 3], { id: 'c', op: 'conv', filters: 5, kernel: [1, 5], padding: 'same' }).node.shape,
    ).toEqual([7, 6, 5]);
  });

  it('ResNet stem 7×7 /2 padding 3 on 224 gives 112 and 9,408 weights', () => {
    const { node } = resolveOne([224, 224, 3], {
      id: 'c',
      op: 'conv',
      filters: 64,
      kernel: 7,
      stride: 2,
      padding: 3,
      bias: false,
    });
    expect(node.shape).toEqual([112, 112, 64]);
    expect(node.params.trainable).toBe(9408);
    expect(node.macs).toBe(9408 * 112 * 112);
  });
});

describe('dwconv', () => {
  it('k²·C·m weights (+ C·m bias) and equals a conv with groups = C_in', () => {
    const dw = resolveOne([10, 10, 8], { id: 'd', op: 'dwconv', kernel: 3, padding: 1, multiplier: 2 }).node;
    const grouped = resolveOne([10, 10, 8], {
      id: 'd',
      op: 'conv',
      kernel: 3,
      padding: 1,
      filters: 16,
      groups: 8,
    }).node;
    expect(dw.shape).toEqual([10, 10, 16]);
    expect(dw.params.trainable).toBe(9 * 16 + 16);
    expect(dw.macs).toBe(9 * 16 * 100);
    expect(dw.params).toEqual(grouped.params);
    expect(dw.macs).toBe(grouped.macs);
  });
});

describe('sepconv', () => {
  it('costs H·W·C_in·(K² + C_out) MACs (design part 1.2) and k²·C + C·C_out + bias params', () => {
    const { node } = resolveOne([10, 10, 8], { id: 's', op: 'sepconv', filters: 16, kernel: 3, padding: 'same' });
    expect(node.shape).toEqual([10, 10, 16]);
    expect(node.macs).toBe(10 * 10 * 8 * (9 + 16));
    expect(node.params.trainable).toBe(72 + 128 + 16);
  });

  it('dilated form: 3×3 dilation 2 padding 2 keeps 12×12', () => {
    const { node } = resolveOne([12, 12, 4], {
      id: 's',
      op: 'sepconv',
      filters: 4,
      kernel: 3,
      dilation: 2,
      padding: 2,
      bias: false,
    });
    expect(node.shape).toEqual([12, 12, 4]);
    expect(node.macs).toBe(144 * (36 + 16));
  });
});

describe('deconv', () => {
  it('out = (H−1)·s − 2p + d·(k−1) + output_padding + 1', () => {
    const { node } = resolveOne([4, 5, 8], {
      id: 't',
      op: 'deconv',
      filters: 4,
      kernel: 3,
      stride: 2,
      padding: 1,
      outputPadding: 1,
    });
    expect(node.shape).toEqual([8, 10, 4]);
    expect(node.params.trainable).toBe(9 * 8 * 4 + 4);
    expect(node.macs).toBe(9 * 8 * 4 * 4 * 5);
  });

  it('valid, dilated and "same" forms', () => {
    expect(resolveOne([4, 4, 1], { id: 't', op: 'deconv', filters: 1, kernel: 2, stride: 2 }).node.shape).toEqual([
      8, 8, 1,
    ]);
    expect(resolveOne([4, 4, 1], { id: 't', op: 'deconv', filters: 1, kernel: 3, dilation: 2 }).node.shape).toEqual([
      8, 8, 1,
    ]);
    expect(
      resolveOne([5, 5, 1], { id: 't', op: 'deconv', filters: 1, kernel: 3, stride: 2, padding: 'same' }).node.shape,
    ).toEqual([10, 10, 1]);
  });
});
