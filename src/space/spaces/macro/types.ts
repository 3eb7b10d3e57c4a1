/** The macro space's vocabulary: its kinds, a sample's shape and the resolved options (one file, so that options, stages and settings need not import each other). */

/** The block kinds a stage can be made of. */
export const MACRO_BLOCKS = ['basic', 'bottleneck', 'inverted_residual', 'separable'] as const;
export type MacroBlock = (typeof MACRO_BLOCKS)[number];
/** Attention in every block of a stage. */
export const MACRO_ATTENTION = ['none', 'se', 'cbam'] as const;
export type MacroAttention = (typeof MACRO_ATTENTION)[number];
/**
 * Where a stage's attention goes: on the block's branch (SE-ResNet, CBAM: after the branch's last BN,
 * before the addition; MobileNetV3: after the depthwise conv of inverted residual and separable
 * blocks) or after the whole block (the only placement before this decision existed).
 */
export const MACRO_PLACEMENTS = ['branch', 'after'] as const;
export type MacroPlacement = (typeof MACRO_PLACEMENTS)[number];
/** Stems: torchvision ResNet (7×7/2 + max pool), torchvision MobileNetV2 (3×3/2, ReLU6), CIFAR style (3×3/1). */
export const MACRO_STEMS = ['resnet', 'mobilenetv2', 'conv3x3'] as const;
export type MacroStem = (typeof MACRO_STEMS)[number];
/** Heads: GAP + dense, or MobileNetV2's 1×1 conv + BN + ReLU6, GAP, dropout 0.2, dense. */
export const MACRO_HEADS = ['classifier', 'mobilenetv2'] as const;
export type MacroHead = (typeof MACRO_HEADS)[number];
/**
 * Network-wide decisions of a macro sample, encoded after every stage's and labelled by their names:
 * the maximum drop-path rate (stochastic depth, linear in depth), the head's dropout rate, and the
 * momentum and epsilon of every BatchNorm.
 */
export const SETTINGS = ['dropPath', 'dropout', 'bnMomentum', 'bnEpsilon'] as const;
export type Setting = (typeof SETTINGS)[number];
/** A sample's network-wide decisions; samples stored before they existed lack them. */
export type MacroSettings = { readonly [S in Setting]?: number };

/** The decisions of one stage. `width` is the output width (a bottleneck's inner width; it outputs width × expansion). */
export type MacroStage = {
  readonly block: MacroBlock;
  readonly kernel: number;
  readonly expansion: number;
  readonly width: number;
  readonly depth: number;
  readonly stride: number;
  readonly attention: MacroAttention;
  /** Left out in samples stored before it was a decision: `MISSING` (stage.ts) says what that means. */
  readonly placement?: MacroPlacement;
  /** A bottleneck's 3×3 conv groups (ResNeXt); left out in samples stored before it was a decision. */
  readonly groups?: number;
};

/** A macro sample: one set of decisions per stage and the network-wide settings (settings.ts), stem and head being fixed by the options. */
export type MacroSample = { readonly stages: readonly MacroStage[] } & MacroSettings;

/** The resolved definition: fixed stem and head, the choices of every decision (widths per stage). */
export interface MacroConfig {
  readonly stem: MacroStem;
  readonly stemChannels: number;
  readonly head: MacroHead;
  readonly headChannels: number;
  /** Distinct width choices of each stage, ascending. */
  readonly widths: readonly (readonly number[])[];
  readonly blocks: readonly MacroBlock[];
  readonly kernels: readonly number[];
  readonly expansions: readonly number[];
  readonly depths: readonly number[];
  readonly strides: readonly number[];
  readonly attention: readonly MacroAttention[];
  readonly placements: readonly MacroPlacement[];
  readonly groups: readonly number[];
  /** The choices of each network-wide setting (settings.ts). */
  readonly settings: Readonly<Record<Setting, readonly number[]>>;
}
