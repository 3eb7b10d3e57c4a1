import { OptionsError } from '../../../core/errors.js';
import type { OptionsSchema, OptionValues } from '../../../core/options.js';
import { makeDivisible } from '../../reference/index.js';

/** The block kinds a stage can be made of. */
export const MACRO_BLOCKS = ['basic', 'bottleneck', 'inverted_residual', 'separable'] as const;
export type MacroBlock = (typeof MACRO_BLOCKS)[number];
/** Attention after every block of a stage. */
export const MACRO_ATTENTION = ['none', 'se', 'cbam'] as const;
export type MacroAttention = (typeof MACRO_ATTENTION)[number];
/** Stems: torchvision ResNet (7×7/2 + max pool), torchvision MobileNetV2 (3×3/2, ReLU6), CIFAR style (3×3/1). */
export const MACRO_STEMS = ['resnet', 'mobilenetv2', 'conv3x3'] as const;
/** Heads: GAP + dense, or MobileNetV2's 1×1 conv + BN + ReLU6, GAP, dropout 0.2, dense. */
export const MACRO_HEADS = ['classifier', 'mobilenetv2'] as const;
const MULTIPLIERS = ['0.25', '0.5', '0.75', '1', '1.25', '1.5', '2'] as const;

/** The macro space's options; the defaults are the ResNet layout, where ResNet-18 and ResNet-50 are points. */
export const macroOptions = {
  stem: { type: 'enum', description: 'the stem: resnet (7×7/2 conv, max pool), mobilenetv2 (3×3/2 conv, ReLU6), conv3x3 (3×3/1 conv)', choices: MACRO_STEMS, default: 'resnet' },
  stemChannels: { type: 'integer', description: 'channels of the stem convolution', min: 1, max: 4096, default: 64 },
  stageWidths: { type: 'integers', description: 'base width of each stage (one entry per stage); bottleneck stages output width × expansion', min: 1, default: [64, 128, 256, 512] },
  widthMultipliers: { type: 'subset', description: 'width choices of a stage: base width × multiplier, rounded to a multiple of divisor', choices: MULTIPLIERS, default: ['0.5', '1'] },
  divisor: { type: 'integer', description: 'stage widths are rounded to a multiple of this (torchvision _make_divisible)', min: 1, max: 64, default: 8 },
  blocks: { type: 'subset', description: 'block kinds a stage may use', choices: MACRO_BLOCKS, default: MACRO_BLOCKS },
  kernels: { type: 'integers', description: 'depthwise kernel sizes (odd) of inverted residual and separable blocks', min: 1, default: [3, 5, 7] },
  expansions: { type: 'integers', description: 'expansion ratios: inverted residual hidden ÷ input channels, bottleneck output ÷ width', min: 1, default: [1, 4, 6] },
  depths: { type: 'integers', description: 'blocks per stage (0 leaves the stage out)', min: 0, default: [1, 2, 3, 4, 6] },
  strides: { type: 'integers', description: 'stride of the first block of a stage', min: 1, default: [1, 2] },
  attention: { type: 'subset', description: 'attention after every block of a stage', choices: MACRO_ATTENTION, default: MACRO_ATTENTION },
  head: { type: 'enum', description: 'the head: classifier (GAP, dense) or mobilenetv2 (1×1 conv, BN, ReLU6, GAP, dropout, dense)', choices: MACRO_HEADS, default: 'classifier' },
  headChannels: { type: 'integer', description: 'channels of the mobilenetv2 head convolution', min: 1, max: 8192, default: 1280 },
} as const satisfies OptionsSchema;

export type MacroOptions = OptionValues<typeof macroOptions>;

/** Option sets: `resnet` (the defaults: ResNet-18 / -50 are points), `mobilenetv2` (MobileNetV2 is a point), `cifar` (small images). */
export const macroPresets = {
  resnet: {},
  mobilenetv2: {
    stem: 'mobilenetv2', stemChannels: 32, stageWidths: [16, 24, 32, 64, 96, 160, 320], widthMultipliers: ['0.75', '1'],
    expansions: [1, 3, 6], depths: [1, 2, 3, 4], head: 'mobilenetv2', headChannels: 1280,
  },
  cifar: { stem: 'conv3x3', stemChannels: 16, stageWidths: [16, 32, 64], widthMultipliers: ['0.5', '1', '2'], expansions: [1, 4, 6], depths: [1, 2, 3] },
} as const satisfies Readonly<Record<string, Partial<Record<keyof typeof macroOptions, unknown>>>>;

/** The resolved definition: fixed stem and head, the choices of every decision (widths per stage). */
export interface MacroConfig {
  readonly stem: (typeof MACRO_STEMS)[number];
  readonly stemChannels: number;
  readonly head: (typeof MACRO_HEADS)[number];
  readonly headChannels: number;
  /** Distinct width choices of each stage, ascending. */
  readonly widths: readonly (readonly number[])[];
  readonly blocks: readonly MacroBlock[];
  readonly kernels: readonly number[];
  readonly expansions: readonly number[];
  readonly depths: readonly number[];
  readonly strides: readonly number[];
  readonly attention: readonly MacroAttention[];
}

function distinctProblem(name: string, values: readonly number[]): string[] {
  return new Set(values).size === values.length ? [] : [`${name}: expected distinct values, got [${values.join(', ')}]`];
}

/** Checks what the schema cannot (odd kernels, distinct values) and resolves the width choices. */
export function macroConfig(o: MacroOptions): MacroConfig {
  const problems = [
    ...['kernels', 'expansions', 'depths', 'strides'].flatMap((k) => distinctProblem(k, o[k as 'kernels'])),
    ...(o.kernels.every((k) => k % 2 === 1) ? [] : [`kernels: expected odd sizes (symmetric padding), got [${o.kernels.join(', ')}]`]),
  ];
  if (problems.length > 0) throw new OptionsError(`macro has invalid options (${problems.length}):${problems.map((p) => `\n  • ${p}`).join('')}`);
  const multipliers = o.widthMultipliers.map(Number).sort((a, b) => a - b);
  const widths = o.stageWidths.map((base) => [...new Set(multipliers.map((m) => makeDivisible(base * m, o.divisor)))].sort((a, b) => a - b));
  return {
    stem: o.stem as MacroConfig['stem'], stemChannels: o.stemChannels, head: o.head as MacroConfig['head'], headChannels: o.headChannels, widths,
    blocks: o.blocks as readonly MacroBlock[], kernels: o.kernels, expansions: o.expansions, depths: o.depths, strides: o.strides,
    attention: o.attention as readonly MacroAttention[],
  };
}
