import { describe, expect, it } from 'vitest';
import { OptionsError } from '../../../../src/core/errors.js';
import { estimateCost } from '../../../../src/space/cost/index.js';
import { LAYERWISE_OPS, LayerwiseSpace, type LayerwiseSample } from '../../../../src/space/spaces/layerwise/index.js';

const make = (o: Partial<ConstructorParameters<typeof LayerwiseSpace>[0]> = {}): LayerwiseSpace =>
  new LayerwiseSpace({ layers: 12, channels: 32, ops: LAYERWISE_OPS, reductions: [3, 7], merge: 'sum', ...o });
const CIFAR = { inputShape: [32, 32, 3], classes: 10, batch: 1 } as const;

const THREE: LayerwiseSample = {
  layers: [
    { op: 'conv3x3', skips: [] },
    { op: 'sepconv5x5', skips: [true] },
    { op: 'maxpool3x3', skips: [true, false] },
  ],
};

describe('layerwise space', () => {
  it('has 6^L · 2^(L(L−1)/2) samples: 6^12 · 2^66 for the defaults', () => {
    expect(make().size()).toBe(6n ** 12n * 2n ** 66n);
    expect(make().dimensions().length).toBe(12 + 66);
    expect(make({ layers: 3, ops: ['conv3x3', 'maxpool3x3'], reductions: [0] }).size()).toBe(2n ** 3n * 2n ** 3n);
  });

  it('labels the decisions by their path in the sample, ops in catalog order', () => {
    const dims = make({ layers: 3, ops: ['maxpool3x3', 'conv3x3'], reductions: [0] }).dimensions();
    expect(dims.map((d) => d.label)).toEqual([
      'layers[0].op',
      'layers[1].op',
      'layers[1].skips[0]',
      'layers[2].op',
      'layers[2].skips[0]',
      'layers[2].skips[1]',
    ]);
    expect(dims[0]?.choices).toEqual(['conv3x3', 'maxpool3x3']);
    expect(make({ layers: 3, reductions: [0] }).encode(THREE)).toEqual([0, 3, 1, 4, 1, 0]);
  });

  it('prices a hand-counted 3-layer network (C=4, reduction after layer 0, sum): 766 parameters', () => {
    // stem 108+8; layer0 conv 144+8; layer1: x1 and x0 reduced (2 × (16+16+16)), sepconv 200+64+16, BN 16;
    // layer2: pool, x0 reduced already, BN 16; dense 8·10+10.
    const cost = estimateCost(make({ layers: 3, channels: 4, reductions: [0] }).freeze(THREE), CIFAR);
    expect(cost.params.trainable).toBe(116 + 152 + 48 + 280 + 48 + 16 + 16 + 90);
    expect(cost.params.trainable).toBe(766);
  });

  it('joins skips by concat + ReLU-1×1 conv-BN with merge "concat"', () => {
    const spec = make({ layers: 3, channels: 4, reductions: [0], merge: 'concat' }).freeze(THREE);
    const byId = new Map(spec.nodes.map((n) => [n.id, n]));
    expect(byId.get('layer1.concat')).toMatchObject({ op: 'concat', inputs: ['reduce1.x0', 'layer1.op.bn'] });
    expect(byId.get('layer2.concat')).toMatchObject({ inputs: ['reduce1.x0', 'layer2.op'] });
    // concat mode replaces the two sum BNs (16 each) by 1×1 convs 16→8 and 16→8 with BN.
    expect(estimateCost(spec, CIFAR).params.trainable).toBe(766 - 32 + 2 * (16 * 8 + 16));
  });

  it('reduces only the outputs that are read later, and each once', () => {
    const spec = make({ layers: 3, channels: 4, reductions: [0] }).freeze(THREE);
    const reduces = spec.nodes.filter((n) => n.op === 'factorized_reduce').map((n) => [n.id, n.inputs]);
    expect(reduces).toEqual([
      ['reduce1.x1', ['layer0.op.bn']],
      ['reduce1.x0', ['stem.bn']],
    ]);
  });

  it('halves the resolution and doubles channels at each reduction: 32 → 16 → 8, 32/64/128 channels', () => {
    const s = make().decode(new Array(78).fill(0));
    const cost = estimateCost(make().freeze(s), CIFAR);
    const shape = (id: string): readonly number[] | undefined => cost.layers.find((l) => l.name === id)?.outputShape;
    expect(shape('layer3.bn')).toEqual([32, 32, 32]);
    expect(shape('layer4.bn')).toEqual([16, 16, 64]);
    expect(shape('layer11.bn')).toEqual([8, 8, 128]);
  });

  it('rejects bad definitions with the invariant and the values', () => {
    expect(() => make({ layers: 6 })).toThrow(OptionsError);
    expect(() => make({ layers: 6 })).toThrow(
      '`0 <= r <= layers − 2`, increasing, must hold, but got (reductions=[3,7], layers=6)',
    );
    expect(() => make({ reductions: [7, 3] })).toThrow('increasing');
    expect(() => make({ ops: [] })).toThrow('ops: expected a non-empty subset');
  });

  it('parses its JSON form and lists every problem of a bad one', () => {
    const space = make({ layers: 3, reductions: [0] });
    expect(space.parse(space.format(THREE))).toEqual(THREE);
    expect(() => space.parse('{"layers":[{"op":"conv7x7","skips":[]},{"op":"conv3x3","skips":[1]}]}')).toThrow(
      'not a sample of this layerwise space (1 problem):\n  • layers: expected 3 layers, got 2 layers',
    );
    expect(
      space.validate({
        layers: [
          { op: 'conv7x7', skips: [] },
          { op: 'conv3x3', skips: [1] },
          { op: 'conv3x3', skips: [true] },
        ],
      }),
    ).toEqual([
      {
        path: 'layers[0].op',
        message: 'expected one of conv3x3, conv5x5, sepconv3x3, sepconv5x5, maxpool3x3, avgpool3x3, got "conv7x7"',
      },
      { path: 'layers[1].skips[0]', message: 'expected true or false, got 1' },
      { path: 'layers[2].skips', message: 'expected 2 booleans (one per earlier output x_0..x_1), got [true]' },
    ]);
    expect(() => space.parse('not json')).toThrow('a layerwise sample must be JSON');
  });
});
