/**
 * The architecture vocabulary: an {@link ArchSpec} is plain JSON, a DAG of nodes, each an op with its
 * attributes. Blocks (residual, inverted residual, SE, CBAM, FPN, factorized reduce) are ops too;
 * `src/space` expands them into primitive ops, which is what the cost model counts and the builder
 * builds. Shapes are per sample, channels last (tfjs layout), without the batch axis.
 */

/** Any JSON value. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/** Whether a JSON value is an object (not null, not an array). */
export function isJsonObject(value: Json | undefined): value is { readonly [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Per-sample tensor shape without the batch axis: [H, W, C] for feature maps, [N] for vectors. */
export type Shape = readonly number[];

/** One number for both spatial axes, or [height, width]. */
export type Pair = number | readonly [number, number];

/** Explicit padding (or cropping): p on every side, [ph, pw] per axis, or [[top, bottom], [left, right]]. */
export type ExplicitPadding =
  number | readonly [number, number] | readonly [readonly [number, number], readonly [number, number]];

/** 'same' / 'valid' follow TensorFlow ('same': out = ceil(in / stride), odd padding goes bottom/right). */
export type Padding = 'same' | 'valid' | ExplicitPadding;

/** Element-wise activations the builder can make with tfjs layers. */
export const ACTIVATIONS = [
  'relu',
  'relu6',
  'leaky_relu',
  'elu',
  'selu',
  'gelu',
  'sigmoid',
  'tanh',
  'swish',
  'softplus',
  'softmax',
  'linear',
] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** The id by which nodes refer to the network input. */
export const INPUT_ID = 'input';

interface NodeBase {
  readonly id: string;
  readonly inputs: readonly string[];
}

interface Window {
  readonly kernel: Pair;
  readonly stride?: Pair;
  readonly padding?: Padding;
  readonly dilation?: Pair;
}

/** k×k convolution; `groups` > 1 is grouped (ResNeXt), groups = C_in = filters is depthwise. */
export interface ConvNode extends NodeBase, Window {
  readonly op: 'conv';
  readonly filters: number;
  readonly groups?: number;
  readonly bias?: boolean;
  /** Reuse the weights of this earlier conv node (same attributes); its parameters count once. */
  readonly weightsOf?: string;
}
export interface DepthwiseConvNode extends NodeBase, Window {
  readonly op: 'dwconv';
  readonly multiplier?: number;
  readonly bias?: boolean;
}
/** Depthwise k×k then pointwise 1×1, one bias at the end (tfjs SeparableConv2D). */
export interface SeparableConvNode extends NodeBase, Window {
  readonly op: 'sepconv';
  readonly filters: number;
  readonly multiplier?: number;
  readonly bias?: boolean;
}
/** Transposed convolution; out = (in−1)·s − 2p + d·(k−1) + outputPadding + 1 (or in·s for 'same'). */
export interface TransposedConvNode extends NodeBase, Window {
  readonly op: 'deconv';
  readonly filters: number;
  readonly outputPadding?: Pair;
  readonly bias?: boolean;
}

export interface MaxPoolNode extends NodeBase, Omit<Window, 'dilation'> {
  readonly op: 'maxpool';
}
export interface AvgPoolNode extends NodeBase, Omit<Window, 'dilation'> {
  readonly op: 'avgpool';
  /** Explicit padding only: divide by the full window (PyTorch default, true) or by the real elements. */
  readonly includePad?: boolean;
}
/** Global average pooling: [H, W, C] → [C]. */
export interface GlobalAvgPoolNode extends NodeBase {
  readonly op: 'gap';
}
/** Global max pooling: [H, W, C] → [C]. */
export interface GlobalMaxPoolNode extends NodeBase {
  readonly op: 'gmp';
}
/** Mean or max over the channel axis: [H, W, C] → [H, W, 1] (CBAM spatial attention). */
export interface ChannelPoolNode extends NodeBase {
  readonly op: 'channel_pool';
  readonly fn: 'mean' | 'max';
}

/** BatchNorm over the last axis; momentum in the tfjs/Keras sense (moving = m·moving + (1−m)·batch). */
export interface BatchNormNode extends NodeBase {
  readonly op: 'bn';
  readonly epsilon?: number;
  readonly momentum?: number;
  /** Learned scale γ and shift β (default true); false in a DARTS supernet's ops, as in the paper. */
  readonly affine?: boolean;
}
export interface ActivationNode extends NodeBase {
  readonly op: 'act';
  readonly fn: Activation;
  /** Negative slope of leaky_relu, or alpha of elu. */
  readonly alpha?: number;
}
export interface DropoutNode extends NodeBase {
  readonly op: 'dropout';
  readonly rate: number;
}
/**
 * Drop-path (stochastic depth, Huang et al. 2016): in training each example's whole input is zeroed
 * with probability `rate` and the kept ones scaled by 1 / (1 − rate); the identity at inference.
 */
export interface DropPathNode extends NodeBase {
  readonly op: 'drop_path';
  readonly rate: number;
}
/** Fully connected on a vector; units 'classes' is filled in with the data set's class count. */
export interface DenseNode extends NodeBase {
  readonly op: 'dense';
  readonly units: number | 'classes';
  readonly bias?: boolean;
  /** Reuse the weights of this earlier dense node (shared MLP); its parameters count once. */
  readonly weightsOf?: string;
}
export interface FlattenNode extends NodeBase {
  readonly op: 'flatten';
}

export interface IdentityNode extends NodeBase {
  readonly op: 'identity';
}
/** Zeros shaped like the input, subsampled by `stride` (DARTS "none"). */
export interface ZeroNode extends NodeBase {
  readonly op: 'zero';
  readonly stride?: Pair;
}
export interface CropNode extends NodeBase {
  readonly op: 'crop';
  readonly crop: ExplicitPadding;
}
export interface UpsampleNode extends NodeBase {
  readonly op: 'upsample';
  readonly scale: Pair;
  readonly interpolation?: 'nearest' | 'bilinear';
}
/** Element-wise sum of inputs of equal shape. */
export interface AddNode extends NodeBase {
  readonly op: 'add';
}
/** Concatenation along channels; all other dimensions equal. */
export interface ConcatNode extends NodeBase {
  readonly op: 'concat';
}
/**
 * A one-shot mixed op (DARTS): Σᵢ softmax(α[edge])ᵢ · inputᵢ, over inputs of equal shape (one per
 * candidate op). α is not a weight of the network: the supernet's trainer owns it, per cell (`alpha`).
 */
export interface MixNode extends NodeBase {
  readonly op: 'mix';
  /** The architecture parameters' name (the relaxation's cell: "normal", "reduce", "cell"). */
  readonly alpha: string;
  /** Row of α: the edge's index in its cell. */
  readonly edge: number;
}
/** Product of two inputs; the second broadcasts ([C] or [H, W, 1] against [H, W, C]). */
export interface MulNode extends NodeBase {
  readonly op: 'mul';
}

/** How a residual block joins its input: 'auto' projects (1×1 conv + BN) only when the shape changes. */
export type Shortcut = 'auto' | 'projection' | 'identity';
/** Attention module inside a block, on its residual branch ('none': no module). */
export type BranchAttention = 'none' | 'se' | 'cbam';

/** Basic residual block (ResNet-18/34): 3×3 conv-BN-ReLU, 3×3 conv-BN, add, ReLU. */
export interface BasicBlockNode extends NodeBase {
  readonly op: 'basic';
  readonly filters: number;
  readonly stride?: number;
  readonly shortcut?: Shortcut;
  /** SE or CBAM after the branch's last BN, before the add (Hu et al. 2018, Woo et al. 2018). */
  readonly attention?: BranchAttention;
  /** Reduction ratio of the attention MLP (default 16). */
  readonly attentionRatio?: number;
  /** Drop-path rate of the residual branch, before the addition (default 0: none). */
  readonly dropPath?: number;
}
/** Bottleneck block (ResNet-50+, ResNeXt with groups): 1×1 → 3×3 → 1×1 (filters = output channels). */
export interface BottleneckNode extends NodeBase {
  readonly op: 'bottleneck';
  readonly filters: number;
  /** Channels of the 3×3 convolution; defaults to filters / 4. */
  readonly width?: number;
  readonly stride?: number;
  readonly groups?: number;
  /** Where the stride goes: '3x3' (torchvision, "ResNet v1.5") or '1x1' (original paper). */
  readonly strideOn?: '1x1' | '3x3';
  readonly shortcut?: Shortcut;
  /** SE or CBAM after the branch's last BN, before the add (Hu et al. 2018, Woo et al. 2018). */
  readonly attention?: BranchAttention;
  /** Reduction ratio of the attention MLP (default 16). */
  readonly attentionRatio?: number;
  /** Drop-path rate of the residual branch, before the addition (default 0: none). */
  readonly dropPath?: number;
}
/** MobileNetV2 inverted residual: 1×1 expand (if expansion ≠ 1), k×k depthwise, 1×1 linear project. */
export interface InvertedResidualNode extends NodeBase {
  readonly op: 'inverted_residual';
  readonly filters: number;
  readonly expansion: number;
  readonly stride?: number;
  readonly kernel?: number;
  readonly act?: Activation;
  /** SE or CBAM on the expanded map after the depthwise conv, before the projection (MobileNetV3). */
  readonly attention?: BranchAttention;
  /** Reduction ratio of the attention MLP, of the expanded channels (default 4, MobileNetV3). */
  readonly attentionRatio?: number;
  /** Drop-path rate of the branch when the block has a shortcut, before the addition (default 0: none). */
  readonly dropPath?: number;
}
/** Squeeze-excitation: GAP, dense C/ratio, ReLU, dense C, sigmoid, scale. */
export interface SqueezeExcitationNode extends NodeBase {
  readonly op: 'se';
  readonly ratio?: number;
}
/** CBAM: channel attention (shared MLP on avg- and max-pooled descriptors), then spatial attention. */
export interface CbamNode extends NodeBase {
  readonly op: 'cbam';
  readonly ratio?: number;
  readonly kernel?: number;
}
/**
 * Feature-pyramid fusion of inputs ordered finest to coarsest: lateral 1×1, top-down upsampling and
 * addition, 3×3 smoothing; with path 'bidirectional' also PANet's bottom-up path (Liu et al. 2018).
 * The node's own id is the finest output; `<id>/out<i>` the others.
 */
export interface FpnNode extends NodeBase {
  readonly op: 'fpn';
  readonly filters: number;
  readonly interpolation?: 'nearest' | 'bilinear';
  /** 'top-down' (Lin et al. 2017, the default) or 'bidirectional' (top-down then bottom-up, PANet). */
  readonly path?: 'top-down' | 'bidirectional';
}
/** DARTS factorized reduce: ReLU, two offset 1×1 stride-2 convs, concat, BN (a stride-2 identity). */
export interface FactorizedReduceNode extends NodeBase {
  readonly op: 'factorized_reduce';
  readonly filters: number;
  /** Affine BatchNorm (default true). */
  readonly affine?: boolean;
}

/** Ops that the builder makes directly (one tfjs layer, or a fixed small group of them). */
export type PrimitiveNode =
  | ConvNode
  | DepthwiseConvNode
  | SeparableConvNode
  | TransposedConvNode
  | MaxPoolNode
  | AvgPoolNode
  | GlobalAvgPoolNode
  | GlobalMaxPoolNode
  | ChannelPoolNode
  | BatchNormNode
  | ActivationNode
  | DropoutNode
  | DropPathNode
  | DenseNode
  | FlattenNode
  | IdentityNode
  | ZeroNode
  | CropNode
  | UpsampleNode
  | AddNode
  | ConcatNode
  | MulNode
  | MixNode;

/** Ops that `src/space` expands into primitive sub-graphs with ids `<id>/<part>`. */
export type BlockNode =
  | BasicBlockNode
  | BottleneckNode
  | InvertedResidualNode
  | SqueezeExcitationNode
  | CbamNode
  | FpnNode
  | FactorizedReduceNode;

export type ArchNode = PrimitiveNode | BlockNode;
export type OpName = ArchNode['op'];
export type NodeOf<K extends OpName> = Extract<ArchNode, { readonly op: K }>;

/**
 * A network: nodes refer to their inputs by id ({@link INPUT_ID} is the network input, `<block>/<part>`
 * a node inside a block's expansion). Node order is the execution order for memory estimates when it
 * is a topological order. `input.shape` may be left to the data set.
 */
export interface ArchSpec {
  readonly version: 1;
  readonly name?: string;
  readonly input?: { readonly shape?: Shape };
  readonly nodes: readonly ArchNode[];
  readonly output: string | readonly string[];
  /** Momentum and epsilon of every `bn` node (blocks' parts included) that does not set its own. */
  readonly batchNorm?: BatchNormSettings;
}

/** BatchNorm settings for a whole network (the `bn` op's defaults: momentum 0.9, epsilon 1e-5). */
export interface BatchNormSettings {
  readonly momentum?: number;
  readonly epsilon?: number;
}

/** One problem found in an architecture: where (`nodes[3] (id "b2_add").filters`) and what. */
export interface ArchIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * The one dedup key of a JSON value: object keys sorted at every depth, `undefined` members dropped,
 * array order kept. Equal architectures written with keys in another order give equal keys.
 */
export function canonicalKey(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : sortKeys(v)));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = sortKeys(v);
  }
  return out;
}
