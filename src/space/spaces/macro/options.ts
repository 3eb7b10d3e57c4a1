import { OptionsError } from '../../../core/errors.js';
import type { OptionsSchema, OptionValues } from '../../../core/options.js';
import { makeDivisible } from '../../reference/index.js';
import { settingChoices } from './settings.js';
import type { MacroAttention, MacroBlock, MacroConfig, MacroPlacement } from './types.js';
import { MACRO_ATTENTION, MACRO_BLOCKS, MACRO_HEADS, MACRO_PLACEMENTS, MACRO_STEMS } from './types.js';

export {
  MACRO_ATTENTION,
  MACRO_BLOCKS,
  MACRO_HEADS,
  MACRO_PLACEMENTS,
  MACRO_STEMS,
  type MacroAttention,
  type MacroBlock,
  type MacroConfig,
  type MacroPlacement,
} from './types.js';

const MULTIPLIERS = ['0.25', '0.5', '0.75', '1', '1.25', '1.5', '2'] as const;

/** The macro space's options; the defaults are the ResNet layout, where ResNet-18 and ResNet-50 are points. */
export const macroOptions = {
  stem: {
    type: 'enum',
    description: 'the stem: resnet (7×7/2 conv, max pool), mobilenetv2 (3×3/2 conv, ReLU6), conv3x3 (3×3/1 conv)',
    choices: MACRO_STEMS,
    default: 'resnet',
  },
  stemChannels: { type: 'integer', description: 'channels of the stem convolution', min: 1, max: 4096, default: 64 },
  stageWidths: {
    type: 'integers',
    description: 'base width of each stage (one entry per stage); bottleneck stages output width × expansion',
    min: 1,
    default: [64, 128, 256, 512],
  },
  widthMultipliers: {
    type: 'subset',
    description: 'width choices of a stage: base width × multiplier, rounded to a multiple of divisor',
    choices: MULTIPLIERS,
    default: ['0.5', '1'],
  },
  divisor: {
    type: 'integer',
    description: 'stage widths are rounded to a multiple of this (torchvision _make_divisible)',
    min: 1,
    max: 64,
    default: 8,
  },
  blocks: { type: 'subset', description: 'block kinds a stage may use', choices: MACRO_BLOCKS, default: MACRO_BLOCKS },
  kernels: {
    type: 'integers',
    description: 'depthwise kernel sizes (odd) of inverted residual and separable blocks',
    min: 1,
    default: [3, 5, 7],
  },
  expansions: {
    type: 'integers',
    description: 'expansion ratios: inverted residual hidden ÷ input channels, bottleneck output ÷ width',
    min: 1,
    default: [1, 4, 6],
  },
  depths: {
    type: 'integers',
    description: 'blocks per stage (0 leaves the stage out)',
    min: 0,
    default: [1, 2, 3, 4, 6],
  },
  strides: { type: 'integers', description: 'stride of the first block of a stage', min: 1, default: [1, 2] },
  groups: {
    type: 'integers',
    description:
      "group counts of a bottleneck's 3×3 conv (ResNeXt cardinality: width ÷ groups channels per group); each must divide every width of every stage",
    min: 1,
    default: [1],
  },
  attention: {
    type: 'subset',
    description: 'attention module in every block of a stage (where: attentionPlacement)',
    choices: MACRO_ATTENTION,
    default: MACRO_ATTENTION,
  },
  attentionPlacement: {
    type: 'subset',
    description:
      'where attention goes: branch (on the residual branch before the addition; after the depthwise conv in inverted residual and separable blocks) or after (after the whole block); both make it a per-stage decision',
    choices: MACRO_PLACEMENTS,
    default: ['branch'],
  },
  head: {
    type: 'enum',
    description: 'the head: classifier (GAP, dense) or mobilenetv2 (1×1 conv, BN, ReLU6, GAP, dropout, dense)',
    choices: MACRO_HEADS,
    default: 'classifier',
  },
  headChannels: {
    type: 'integer',
    description: 'channels of the mobilenetv2 head convolution',
    min: 1,
    max: 8192,
    default: 1280,
  },
  dropPathRates: {
    type: 'numbers',
    description:
      'maximum drop-path rates in [0, 1) (stochastic depth on residual branches, rising linearly to it with depth); several make it a decision',
    min: 0,
    max: 1,
    default: [0],
  },
  dropoutRates: {
    type: 'numbers',
    description:
      "dropout rates in [0, 1) before the head's dense layer; [] keeps the head's own (classifier none, mobilenetv2 0.2)",
    min: 0,
    max: 1,
    default: [],
  },
  bnMomenta: {
    type: 'numbers',
    description: "momenta in [0, 1) of every BatchNorm (moving = m·moving + (1 − m)·batch; PyTorch's 0.1 is 0.9 here)",
    min: 0,
    max: 1,
    default: [0.9],
  },
  bnEpsilons: { type: 'numbers', description: 'epsilons (above 0) of every BatchNorm', min: 0, default: [1e-5] },
} as const satisfies OptionsSchema;

export type MacroOptions = OptionValues<typeof macroOptions>;

/** Option sets: `resnet` (the defaults: ResNet-18 / -50 are points), `mobilenetv2` (MobileNetV2 is a point), `cifar` (small images). */
export const macroPresets = {
  resnet: {},
  mobilenetv2: {
    stem: 'mobilenetv2',
    stemChannels: 32,
    stageWidths: [16, 24, 32, 64, 96, 160, 320],
    widthMultipliers: ['0.75', '1'],
    expansions: [1, 3, 6],
    depths: [1, 2, 3, 4],
    head: 'mobilenetv2',
    headChannels: 1280,
  },
  cifar: {
    stem: 'conv3x3',
    stemChannels: 16,
    stageWidths: [16, 32, 64],
    widthMultipliers: ['0.5', '1', '2'],
    expansions: [1, 4, 6],
    depths: [1, 2, 3],
  },
} as const satisfies Readonly<Record<string, Partial<Record<keyof typeof macroOptions, unknown>>>>;

function distinctProblem(name: string, values: readonly number[]): string[] {
  return new Set(values).size === values.length
    ? []
    : [`${name}: expected distinct values, got [${values.join(', ')}]`];
}

/** Group counts that do not divide a width a bottleneck stage can take (its 3×3 conv is width → width), one problem per stage. */
function groupProblems(
  groups: readonly number[],
  widths: readonly (readonly number[])[],
  blocks: readonly string[],
): string[] {
  if (!blocks.includes('bottleneck')) return [];
  return widths.flatMap((choices, i) => {
    const bad = groups.flatMap((g) => choices.filter((w) => w % g !== 0).map((w) => `${g} ∤ ${w}`));
    return bad.length === 0
      ? []
      : [
          `groups: every group count must divide every width of stage ${i + 1} (${choices.join(', ')}), got ${bad.join(', ')}`,
        ];
  });
}

/** Checks what the schema cannot (odd kernels, distinct values, groups that divide the widths) and resolves the width choices. */
export function macroConfig(o: MacroOptions): MacroConfig {
  const multipliers = o.widthMultipliers.map(Number).sort((a, b) => a - b);
  const widths = o.stageWidths.map((base) =>
    [...new Set(multipliers.map((m) => makeDivisible(base * m, o.divisor)))].sort((a, b) => a - b),
  );
  const settings = settingChoices(o);
  const problems = [
    ...['kernels', 'expansions', 'depths', 'strides', 'groups'].flatMap((k) => distinctProblem(k, o[k as 'kernels'])),
    ...(o.kernels.every((k) => k % 2 === 1)
      ? []
      : [`kernels: expected odd sizes (symmetric padding), got [${o.kernels.join(', ')}]`]),
    ...groupProblems(o.groups, widths, o.blocks),
    ...settings.problems,
  ];
  if (problems.length > 0)
    throw new OptionsError(
      `macro has invalid options (${problems.length}):${problems.map((p) => `\n  • ${p}`).join('')}`,
    );
  return {
    stem: o.stem as MacroConfig['stem'],
    stemChannels: o.stemChannels,
    head: o.head as MacroConfig['head'],
    headChannels: o.headChannels,
    widths,
    blocks: o.blocks as readonly MacroBlock[],
    kernels: o.kernels,
    expansions: o.expansions,
    depths: o.depths,
    strides: o.strides,
    attention: o.attention as readonly MacroAttention[],
    placements: o.attentionPlacement as readonly MacroPlacement[],
    groups: o.groups,
    settings: settings.choices,
  };
}
