import { describe, expect, it } from 'vitest';
import { estimateCost } from '../../../../src/space/cost/index.js';
import { fromBenchmarkString, Nb201Space, sampleAtBenchmarkIndex } from '../../../../src/space/spaces/nb201/index.js';
import { assertArch } from '../../../../src/space/validate.js';

const space = new Nb201Space({ cells: 5, channels: 16 });
const CIFAR = { inputShape: [32, 32, 3], classes: 10, batch: 1 } as const;
const costOf = (text: string): ReturnType<typeof estimateCost> =>
  estimateCost(space.freeze(fromBenchmarkString(text)), CIFAR);

const SMALLEST = '|none~0|+|none~0|none~1|+|none~0|none~1|none~2|';
const LARGEST = '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|';

/**
 * Trainable parameters derived by hand: the skeleton (stem 3·16·9 + 32; reductions 16→32 and 32→64
 * with two 3×3 ReLUConvBN and a 1×1 shortcut conv; last BN; dense 64·10 + 10) is 73,306; each cell of
 * C channels adds 9C² + 2C per 3×3 conv edge and C² + 2C per 1×1 conv edge, 5 cells per stage.
 */
function expectedParams(conv3: number, conv1: number): number {
  return 73_306 + [16, 32, 64].reduce((sum, c) => sum + 5 * (conv3 * (9 * c * c + 2 * c) + conv1 * (c * c + 2 * c)), 0);
}

describe('nb201 network (32×32×3, 10 classes)', () => {
  it('has the benchmark figures at both extremes: 73,306 and 1,531,546 trainable parameters', () => {
    expect(costOf(SMALLEST).params.trainable).toBe(73_306);
    expect(costOf(LARGEST).params.trainable).toBe(1_531_546);
    expect(expectedParams(6, 0)).toBe(1_531_546);
  });

  it('prices the optimum cells (indexes 6111 and 13714: four 3×3 and one 1×1 conv edge) at 1,073,466', () => {
    for (const index of [6111, 13_714]) {
      const trainable = estimateCost(space.freeze(sampleAtBenchmarkIndex(index)), CIFAR).params.trainable;
      expect(trainable).toBe(expectedParams(4, 1));
      expect(trainable).toBe(1_073_466);
    }
  });

  it('counts conv edges whose input is dead (all-none node 1 feeding 3×3 convs)', () => {
    expect(costOf('|none~0|+|none~0|nor_conv_3x3~1|+|none~0|nor_conv_3x3~1|none~2|').params.trainable).toBe(
      expectedParams(2, 0),
    );
  });

  it('has the hand-derived MACs: 7,783,040 (skeleton) to 220,119,680 (all 3×3)', () => {
    const skeleton =
      32 * 32 * 27 * 16 +
      16 * 16 * (9 * 16 * 32 + 9 * 32 * 32 + 16 * 32) +
      8 * 8 * (9 * 32 * 64 + 9 * 64 * 64 + 32 * 64) +
      640;
    expect(skeleton).toBe(7_783_040);
    expect(costOf(SMALLEST).macs).toBe(7_783_040);
    expect(costOf(LARGEST).macs).toBe(7_783_040 + 3 * 5 * 6 * 9 * 16 * 16 * 32 * 32);
    expect(costOf(LARGEST).macs).toBe(220_119_680);
  });

  it('builds the skeleton of the benchmark: shapes 32 → 16 → 8, channels 16/32/64, logits of 10', () => {
    const arch = assertArch(space.freeze(fromBenchmarkString(LARGEST)), CIFAR);
    const shape = (id: string): readonly number[] | undefined => arch.nodes.find((n) => n.id === id)?.shape;
    expect(shape('stem.bn')).toEqual([32, 32, 16]);
    expect(shape('stage0.cell4.node3')).toEqual([32, 32, 16]);
    expect(shape('reduce1.conv_a.conv')).toEqual([16, 16, 32]);
    expect(shape('reduce1.downsample.pool')).toEqual([16, 16, 16]);
    expect(shape('reduce1')).toEqual([16, 16, 32]);
    expect(shape('stage2.cell0.node3')).toEqual([8, 8, 64]);
    expect(shape('classifier')).toEqual([10]);
    expect(arch.nodes.filter((n) => n.node.op === 'conv').length).toBe(1 + 2 * 3 + 15 * 6);
  });

  it('follows the benchmark op semantics: ReLU-conv-BN edges, avg pool without padding in the count, zeros for none', () => {
    const spec = space.freeze(
      fromBenchmarkString('|avg_pool_3x3~0|+|none~0|skip_connect~1|+|nor_conv_1x1~0|none~1|skip_connect~2|'),
    );
    const byId = new Map(spec.nodes.map((n) => [n.id, n]));
    expect(byId.get('stage0.cell0.edge0-1')).toMatchObject({
      op: 'avgpool',
      kernel: 3,
      stride: 1,
      padding: 1,
      includePad: false,
      inputs: ['stem.bn'],
    });
    expect(byId.get('stage0.cell0.edge0-2')).toMatchObject({ op: 'zero', inputs: ['stem.bn'] });
    expect(byId.get('stage0.cell0.node2')).toMatchObject({
      op: 'add',
      inputs: ['stage0.cell0.edge0-2', 'stage0.cell0.edge0-1'],
    });
    expect(['relu', 'conv', 'bn'].map((p) => byId.get(`stage0.cell0.edge0-3.${p}`)?.op)).toEqual(['act', 'conv', 'bn']);
    expect(byId.get('stage0.cell0.edge0-3.conv')).toMatchObject({ kernel: 1, filters: 16, bias: false });
    expect(byId.get('stage0.cell0.node3')).toMatchObject({
      inputs: ['stage0.cell0.edge0-3.bn', 'stage0.cell0.edge1-3', 'stage0.cell0.node2'],
    });
  });

  it('scales with the options: N = 1, C = 8', () => {
    const small = new Nb201Space({ cells: 1, channels: 8 });
    const none = estimateCost(small.freeze(fromBenchmarkString(SMALLEST)), CIFAR).params.trainable;
    const stem = 3 * 8 * 9 + 16;
    const reductions = 9 * 8 * 16 + 32 + 9 * 16 * 16 + 32 + 8 * 16 + (9 * 16 * 32 + 64 + 9 * 32 * 32 + 64 + 16 * 32);
    expect(none).toBe(stem + reductions + 64 + 32 * 10 + 10);
  });
});
