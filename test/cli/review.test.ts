import { beforeAll, describe, expect, it } from 'vitest';
import type { Trial } from '../../src/core/trial.js';
import { reviewContext } from '../../src/cli/review/checklist.js';
import type { Machine } from '../../src/cli/review/machine.js';
import { reviewTrial, type Review } from '../../src/cli/review/review.js';
import { loadExperiment, readStorage } from '../../src/run/experiment-data.js';
import { reviewStorage } from './review-fixture.js';

const GiB = 2 ** 30;
/** A machine with room for every healthy fixture and fast bfloat16: only the design itself can warn. */
const ROOMY: Machine = { memoryBytes: 16 * GiB, cores: 2, bf16: { fast: true, why: null } };

let storage = '';
beforeAll(async () => {
  storage = await reviewStorage();
}, 60_000);

async function review(experiment: string, number: number, machine: Machine = ROOMY): Promise<Review> {
  const data = await readStorage(storage, (s) => loadExperiment(s, storage, experiment));
  return reviewTrial(reviewContext(data.config, machine), data.trials.find((t) => t.number === number) as Trial);
}

const codes = (r: Review): string[] => r.warnings.map((w) => w.code);

describe('nas review: the checklist of a ResNet-18 sample of the macro space at 224×224', () => {
  let r: Review;
  beforeAll(async () => {
    r = await review('imagenet', 0);
  });

  it('prices it as ResNet-18 with a 100-class head, and finds no warning', () => {
    expect(r.input).toEqual({ dataset: 'synthetic', height: 224, width: 224, channels: 3, classes: 100 });
    // torchvision's ResNet-18 has 11,689,512 parameters and 1,814,073,344 MACs with 1000 classes; the
    // head 512 → 100 instead of 512 → 1000 has 513,000 − 51,300 fewer parameters and 460,800 fewer MACs.
    expect(r.budget.params).toBe(11_689_512 - 513_000 + 51_300);
    expect(r.budget.macs).toBe(1_814_073_344 - 460_800);
    expect(r.budget.flops).toBe(2 * r.budget.macs);
    expect(r.budget.constraints).toEqual([]);
    expect(r.warnings).toEqual([]);
  });

  it('reads the stride plan (224 → 56 after the stem) and the filter schedule off the layer table', () => {
    expect(r.strides.drops).toEqual([
      { at: 'conv1', block: null, from: [224, 224], to: [112, 112] },
      { at: 'maxpool', block: null, from: [112, 112], to: [56, 56] },
      { at: 'layer2.0/conv1', block: 'layer2.0', from: [56, 56], to: [28, 28] },
      { at: 'layer3.0/conv1', block: 'layer3.0', from: [28, 28], to: [14, 14] },
      { at: 'layer4.0/conv1', block: 'layer4.0', from: [14, 14], to: [7, 7] },
    ]);
    expect(r.strides.collapsed).toBeNull();
    // conv1 alone at 112; four 3×3 convs at 56; then per stage four 3×3 convs and the 1×1 projection.
    expect(r.filters).toEqual([
      { resolution: [112, 112], channels: 64, maxChannels: 64, weightLayers: 1 },
      { resolution: [56, 56], channels: 64, maxChannels: 64, weightLayers: 4 },
      { resolution: [28, 28], channels: 128, maxChannels: 128, weightLayers: 5 },
      { resolution: [14, 14], channels: 256, maxChannels: 256, weightLayers: 5 },
      { resolution: [7, 7], channels: 512, maxChannels: 512, weightLayers: 5 },
    ]);
  });

  it('counts 8 residual additions, 18 weight layers deep (21 with the projections), 20 BatchNorms, no attention', () => {
    expect(r.shortcuts).toEqual({ additions: 8, concatenations: 0, depth: 18, weightLayers: 21 });
    expect(r.normalization).toEqual({ batchNorm: 20, weightLayers: 21 });
    expect(r.attention).toEqual({ se: 0, cbam: 0 });
  });

  it('finds ResNet-18 as its nearest reference, at distance 0, and ResNet-34 next by depth and additions', () => {
    expect(r.base?.name).toBe('resnet18');
    expect(r.base?.distance).toBe(0);
    expect(r.base?.trial).toEqual({ kind: 'basic', attention: 'none', depth: 18, additions: 8, halvings: 5 });
    // ResNet-34: depth 34, 16 additions: 16/34 + 8/16.
    expect(r.base?.ranking[1]).toEqual({ name: 'resnet34', distance: 16 / 34 + 8 / 16 });
  });

  it('reads the training setting: SGD with weight decay, cosine from 0.1, He initialisation, one worker', () => {
    expect(r.regularization).toEqual({
      weightDecay: 5e-4,
      decoupled: false,
      decayOn: 'kernels',
      dropout: [],
      dropPath: 0,
      labelSmoothing: 0,
      augment: null,
    });
    expect(r.initialization).toEqual({ init: 'he' });
    expect(r.schedule.schedule).toEqual({ kind: 'cosine', lrMax: 0.1, lrMin: 0, warmupEpochs: 0, warmupFrom: 'zero' });
    expect(r.schedule.batchSize).toBe(32);
    expect(r.parallelism).toEqual({
      workers: 1,
      cores: 2,
      intraOpThreads: 2,
      interOpThreads: 2,
      engine: { asked: 'compiled', used: 'compiled', fallback: null },
    });
    expect(r.precision).toEqual({ asked: 'fp32', used: 'fp32', reason: null, bf16Fast: true, why: null });
  });
});

describe('nas review: part 7 beside the cost model', () => {
  it('computes 4 · (A·B + 2·P) bytes on a network counted by hand', async () => {
    const r = await review('tiny', 0);
    // 8×8×1 input (64), a 3×3 stem of 16 channels with BN and ReLU (3 × 1024), a basic block of 8
    // channels with its projection (9 outputs of 512), global pooling (8), the dense head (10).
    const activations = 64 + 3 * 1024 + 9 * 512 + 8 + 10;
    // stem 3·3·1·16 + BN 32; conv1 3·3·16·8 + BN 16; conv2 3·3·8·8 + BN 16; projection 16·8 + BN 16; head 8·10 + 10.
    const params = 144 + 32 + 1152 + 16 + 576 + 16 + 128 + 16 + 90;
    expect(r.memory.part7).toEqual({
      activationElements: activations,
      batch: 32,
      params,
      bytes: 4 * (activations * 32 + 2 * params),
    });
    expect(r.memory.part7.bytes).toBe(1_010_896);
    // The cost model adds the momentum buffer (4·P) and the BatchNorm moving statistics (4 · 2·40).
    expect(r.memory.costModel.trainTotal).toBe(1_010_896 + 4 * params + 4 * 80);
    expect(r.budget).toMatchObject({ params: 2170, paramsTotal: 2250, macs: 9216 + 73_728 + 36_864 + 8192 + 80 });
    expect(r.strides.drops).toEqual([]);
    expect(r.filters).toEqual([{ resolution: [8, 8], channels: 8, maxChannels: 16, weightLayers: 4 }]);
  });

  it("states part 7's latency range at the default peak: FLOPs / (1e11 × 0.2) to FLOPs / (1e11 × 0.1)", async () => {
    const r = await review('tiny', 0);
    expect(r.budget.latency).toEqual({
      flops: 256_160,
      peakFlops: 1e11,
      fastMs: (256_160 / 2e10) * 1000,
      slowMs: (256_160 / 1e10) * 1000,
    });
  });
});

describe('nas review: each warning, raised by a design built for it and absent on the healthy one', () => {
  it('collapsed-resolution: ResNet-18 on 32×32 images runs its last stage on a 1×1 map', async () => {
    const collapsed = await review('cifar', 0);
    expect(collapsed.strides.drops.at(-1)).toEqual({
      at: 'layer4.0/conv1',
      block: 'layer4.0',
      from: [2, 2],
      to: [1, 1],
    });
    expect(collapsed.strides.collapsed).toEqual({
      at: 'layer4.0',
      windows: ['layer4.0/conv2', 'layer4.1/conv1', 'layer4.1/conv2'],
    });
    expect(codes(collapsed)).toEqual(['collapsed-resolution']);
    expect(collapsed.warnings[0]?.message).toMatch(
      /^the feature map is 1×1 from layer4\.0 on, yet 3 k×k windows still look at it \(layer4\.0\/conv2, layer4\.1\/conv1, layer4\.1\/conv2\)/,
    );
    const later = await review('cifar', 1);
    expect(later.strides.drops.at(-1)?.to).toEqual([2, 2]);
    expect(codes(later)).toEqual([]);
  });

  it('deep-without-shortcuts: 24 depthwise-separable units, 50 weight layers, no addition; nearest VGG-11', async () => {
    const r = await review('imagenet', 1);
    expect(r.shortcuts).toMatchObject({ additions: 0, depth: 50 });
    expect(r.base).toMatchObject({ name: 'vgg11', trial: { kind: 'plain', depth: 50, additions: 0 } });
    expect(r.warnings).toEqual([
      {
        code: 'deep-without-shortcuts',
        item: 'shortcuts',
        message:
          '50 weight layers deep without a shortcut: plain networks beyond about 20 layers train worse than shallower ones (He et al. 2016); use residual blocks',
      },
    ]);
  });

  it('over-constraint: ResNet-18 against maxParams 5 M and maxMacs 1 G', async () => {
    const r = await review('constrained', 0);
    expect(r.budget.constraints).toEqual([
      { name: 'maxParams', limit: 5_000_000, value: 11_227_812 },
      { name: 'maxMacs', limit: 1e9, value: 1_813_612_544 },
    ]);
    expect(r.warnings).toEqual([
      {
        code: 'over-constraint',
        item: 'budget',
        message: "trainable params 11,227,812 > the experiment's maxParams 5,000,000 (+125%)",
      },
      {
        code: 'over-constraint',
        item: 'budget',
        message: "MACs 1,813,612,544 > the experiment's maxMacs 1,000,000,000 (+81%)",
      },
    ]);
  });

  it('no-regularization: 11 M parameters trained by Adam without weight decay, dropout or augmentation', async () => {
    const r = await review('adam', 0);
    expect(r.regularization).toMatchObject({
      weightDecay: 0,
      dropout: [],
      dropPath: 0,
      labelSmoothing: 0,
      augment: null,
    });
    expect(codes(r)).toEqual(['no-regularization']);
    expect(codes(await review('tiny', 0))).toEqual([]); // 2,170 parameters: small enough
  });

  it("memory-over-machine: the cost model's training memory × workers above the machine's", async () => {
    const r = await review('imagenet', 0, { ...ROOMY, memoryBytes: GiB });
    expect(r.memory.costModel.trainTotal).toBeGreaterThan(GiB);
    expect(codes(r)).toEqual(['memory-over-machine']);
    expect(r.warnings[0]?.message).toMatch(/^training needs ≈ 1\.\d GiB, above this machine's 1\.0 GiB/);
    const two = await review('big-batch', 0);
    expect(two.memory.workers).toBe(2);
    expect(two.warnings[0]?.message).toContain(`per trial × 2 workers), above this machine's 16.0 GiB`);
  });

  it('bf16-not-fast: bf16 asked on a machine without fast bfloat16', async () => {
    const slow: Machine = { ...ROOMY, bf16: { fast: false, why: 'this CPU has no bfloat16 instructions' } };
    const r = await review('bf16', 0, slow);
    expect(r.precision).toMatchObject({ asked: 'bf16', bf16Fast: false, why: 'this CPU has no bfloat16 instructions' });
    expect(codes(r)).toEqual(['bf16-not-fast']);
    expect(codes(await review('bf16', 0))).toEqual([]);
    expect(codes(await review('imagenet', 0, slow))).toEqual([]); // fp32 asked
  });
});

describe('nas review: attention and regularization', () => {
  it('counts SE and CBAM modules; their gates add neither depth nor additions; ResNet-18 stays nearest, 1 away', async () => {
    const r = await review('attention', 0);
    expect(r.attention).toEqual({ se: 2, cbam: 2 });
    expect(r.shortcuts).toMatchObject({ additions: 8, concatenations: 0, depth: 18 });
    expect(r.base).toMatchObject({ name: 'resnet18', distance: 1, trial: { kind: 'basic', attention: 'se+cbam' } });
    expect(r.warnings).toEqual([]);
  });

  it('reads dropout and drop-path off the network, label smoothing and augmentation off the config: any of them is regularization', async () => {
    const r = await review('regularized', 0);
    expect(r.regularization).toEqual({
      weightDecay: 0,
      decoupled: false,
      decayOn: 'kernels',
      dropout: [0.2],
      dropPath: 0.1,
      labelSmoothing: 0.1,
      augment: { flip: true },
    });
    expect(r.warnings).toEqual([]);
  });
});

describe('nas review: other trials', () => {
  it('reviews a failed trial: the macro ResNet-50 is nearest to ResNet-50', async () => {
    const r = await review('imagenet', 2);
    expect(r.trial).toMatchObject({ number: 2, state: 'FAILED' });
    expect(r.base).toMatchObject({ name: 'resnet50', distance: 0 });
    expect(r.shortcuts).toMatchObject({ additions: 16, depth: 50 });
    expect(r.parallelism.engine).toEqual({ asked: 'compiled', used: null, fallback: null });
  });
});
