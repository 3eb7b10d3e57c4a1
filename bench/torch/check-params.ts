// Trainable parameters: our cost model against the PyTorch translation (bench/torch/arch_net.py), so a
// mistake in the translation shows. The script also checks every node's shape (one forward) and runs
// one training step at batch 4.
//
//   npx tsx bench/torch/check-params.ts
import type { ResolvedArch } from '../../src/space/resolve.js';
import { costOf } from '../../src/space/cost/index.js';
import { references } from '../../src/space/reference/index.js';
import { macroPresets, type MacroSample, type MacroStage } from '../../src/space/spaces/macro/index.js';
import { createSpace } from '../../src/space/spaces/index.js';
import { sampleAtBenchmarkIndex, toBenchmarkString } from '../../src/space/spaces/nb201/index.js';
import { assertArch } from '../../src/space/validate.js';
import { torchImagesPerSecond } from '../torch-reference.js';

const CIFAR = { inputShape: [32, 32, 3], classes: 10 } as const;
/** Five 3×3 conv edges (NATS-Bench's size-space cell, best on CIFAR-100): 1,288,506 trainable parameters. */
const NB201_BEST = '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|';
/** The benchmark's CIFAR-10 optimum (four 3×3, one 1×1 conv edge): 1,073,466 (docs/spaces.md). */
const NB201_OPTIMUM_INDEX = 13_714;

const stage = (
  block: MacroStage['block'],
  width: number,
  depth: number,
  stride: number,
  more: Partial<MacroStage> = {},
): MacroStage => ({ block, kernel: 3, expansion: 1, width, depth, stride, attention: 'none', ...more });

function nb201(cell: string): ResolvedArch {
  const space = createSpace('nb201', {});
  return assertArch(space.freeze(space.parse(cell)), CIFAR);
}

function macroCifar(sample: MacroSample): ResolvedArch {
  const space = createSpace('macro', macroPresets.cifar);
  const issues = space.validate(sample);
  if (issues.length > 0)
    throw new Error(`not a macro sample: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return assertArch(space.freeze(sample), CIFAR);
}

const resnet18 = references['resnet18'];
if (resnet18 === undefined) throw new Error('no resnet18 reference network');

const NETWORKS: readonly { readonly name: string; readonly arch: () => ResolvedArch }[] = [
  { name: 'nb201 best cell (five 3x3 edges; C16, N5)', arch: () => nb201(NB201_BEST) },
  {
    name: `nb201 benchmark index ${NB201_OPTIMUM_INDEX} (four 3x3, one 1x1)`,
    arch: () => nb201(toBenchmarkString(sampleAtBenchmarkIndex(NB201_OPTIMUM_INDEX))),
  },
  {
    name: 'macro cifar: basic [3,3,3] w16/32/64 (ResNet-20-like)',
    arch: () => macroCifar({ stages: [stage('basic', 16, 3, 1), stage('basic', 32, 3, 2), stage('basic', 64, 3, 2)] }),
  },
  { name: 'resnet18 (torchvision) 32x32x3', arch: () => assertArch(resnet18.build(CIFAR), CIFAR) },
  {
    // Extra coverage: dwconv, SE / CBAM (mul, channel_pool, gmp, shared dense), bottleneck, inverted residual.
    name: 'macro cifar: every block kind, SE, CBAM',
    arch: () =>
      macroCifar({
        stages: [
          stage('separable', 16, 2, 1, { kernel: 7, attention: 'cbam' }),
          stage('bottleneck', 16, 1, 2, { expansion: 6, attention: 'se' }),
          stage('inverted_residual', 64, 2, 2, { kernel: 5, expansion: 4 }),
        ],
      }),
  },
];

const out = (s: string): void => void process.stdout.write(`${s}\n`);
out(`${'network'.padEnd(56)} ${'cost model'.padStart(12)} ${'PyTorch'.padStart(12)}  match`);
let mismatches = 0;
for (const { name, arch: make } of NETWORKS) {
  const arch = make();
  const ours = costOf(arch, { batch: 4 }).params.trainable;
  const torch = torchImagesPerSecond(arch, { batch: 4, steps: 0, warmup: 1 });
  if (torch === undefined) process.exit(1);
  const ok = ours === torch.params;
  if (!ok) mismatches++;
  out(
    `${name.padEnd(56)} ${ours.toLocaleString('en-US').padStart(12)} ${torch.params.toLocaleString('en-US').padStart(12)}  ${ok ? 'yes' : 'NO'}`,
  );
}
if (mismatches > 0) {
  out(`${mismatches} mismatch${mismatches === 1 ? '' : 'es'}`);
  process.exitCode = 1;
}
