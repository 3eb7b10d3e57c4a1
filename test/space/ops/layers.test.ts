import { describe, expect, it } from 'vitest';
import { resolveOne } from '../helpers.js';

describe('pooling', () => {
  it('max pool 3×3 /2 padding 1 on 112 → 56 (torchvision ResNet); stride defaults to the kernel', () => {
    expect(resolveOne([112, 112, 64], { id: 'p', op: 'maxpool', kernel: 3, stride: 2, padding: 1 }).node.shape).toEqual(
      [56, 56, 64],
    );
    expect(resolveOne([7, 7, 2], { id: 'p', op: 'avgpool', kernel: 2 }).node.shape).toEqual([3, 3, 2]);
  });

  it('counts window reads as other ops, no params, no MACs', () => {
    const { node } = resolveOne([4, 4, 3], { id: 'p', op: 'avgpool', kernel: 2 });
    expect(node.otherOps).toBe(4 * 2 * 2 * 3);
    expect(node.macs).toBe(0);
    expect(node.params.trainable).toBe(0);
  });

  it('global and channel pools', () => {
    expect(resolveOne([7, 7, 512], { id: 'g', op: 'gap' }).node.shape).toEqual([512]);
    expect(resolveOne([7, 7, 512], { id: 'g', op: 'gmp' }).node.shape).toEqual([512]);
    expect(resolveOne([7, 5, 32], { id: 'c', op: 'channel_pool', fn: 'max' }).node.shape).toEqual([7, 5, 1]);
  });
});

describe('bn, activations, dropout, dense', () => {
  it('BatchNorm: 2·C trainable, 2·C moving statistics', () => {
    expect(resolveOne([5, 5, 48], { id: 'b', op: 'bn' }).node.params).toEqual({ trainable: 96, nonTrainable: 96 });
  });

  it('activations and dropout keep the shape and have no params', () => {
    const a = resolveOne([3, 3, 2], { id: 'a', op: 'act', fn: 'swish' }).node;
    expect(a.shape).toEqual([3, 3, 2]);
    expect(a.otherOps).toBe(18);
    expect(resolveOne([10], { id: 'd', op: 'dropout', rate: 0.5 }).node.params.trainable).toBe(0);
  });

  it('dense: in·out + out params, in·out MACs; flatten feeds it', () => {
    const { node } = resolveOne([2, 2, 3], { id: 'fc', op: 'dense', units: 5 }, [{ id: 'f', op: 'flatten' }]);
    expect(node.shape).toEqual([5]);
    expect(node.params.trainable).toBe(12 * 5 + 5);
    expect(node.macs).toBe(60);
  });
});

describe('merge and structure', () => {
  it('concat sums channels; add keeps the shape', () => {
    const cat = resolveOne([4, 4, 3], { id: 'cat', op: 'concat', inputs: ['input', 'c'] }, [
      { id: 'c', op: 'conv', filters: 5, kernel: 1 },
    ]);
    expect(cat.node.shape).toEqual([4, 4, 8]);
    const sum = resolveOne([4, 4, 3], { id: 's', op: 'add', inputs: ['input', 'c'] }, [
      { id: 'c', op: 'conv', filters: 3, kernel: 1 },
    ]);
    expect(sum.node.shape).toEqual([4, 4, 3]);
    expect(sum.node.otherOps).toBe(48);
  });

  it('mul broadcasts a [C] gate over [H,W,C]', () => {
    const { node } = resolveOne([4, 4, 3], { id: 'm', op: 'mul', inputs: ['input', 'g'] }, [{ id: 'g', op: 'gap' }]);
    expect(node.shape).toEqual([4, 4, 3]);
  });

  it('zero subsamples by its stride; identity is a view; crop and upsample resize', () => {
    expect(resolveOne([7, 8, 3], { id: 'z', op: 'zero', stride: 2 }).node.shape).toEqual([4, 4, 3]);
    expect(resolveOne([7, 8, 3], { id: 'i', op: 'identity' }).node.alias).toBe(true);
    expect(
      resolveOne([7, 8, 3], {
        id: 'c',
        op: 'crop',
        crop: [
          [1, 0],
          [2, 1],
        ],
      }).node.shape,
    ).toEqual([6, 5, 3]);
    expect(resolveOne([7, 8, 3], { id: 'u', op: 'upsample', scale: [2, 3] }).node.shape).toEqual([14, 24, 3]);
  });
});
