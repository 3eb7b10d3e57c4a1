import type { ArchNode, NodeOf, OpName, PrimitiveNode, Shape } from '../../core/arch.js';
import type { AttrSchema } from './attrs.js';

/** A shape rule was broken; the resolver attaches the node path. */
export class ShapeError extends Error {
  override readonly name = 'ShapeError';
  /** The attribute at fault, when there is one (appended to the node path). */
  readonly attr: string | undefined;

  constructor(message: string, attr?: string) {
    super(message);
    this.attr = attr;
  }
}

/** Parameter count of one primitive: trainable (PyTorch's count) and non-trainable (BN moving statistics). */
export interface ParamCount {
  readonly trainable: number;
  readonly nonTrainable: number;
}

interface OpDefBase<N extends ArchNode> {
  readonly op: N['op'];
  /** One line for `nas list ops`. */
  readonly summary: string;
  /** Attributes besides id / op / inputs, with their checks and defaults. */
  readonly attrs: AttrSchema;
  readonly arity: { readonly min: number; readonly max?: number };
}

/** A primitive op: shape rule and cost formulas. `inputs` are the input shapes, already checked for arity. */
export interface PrimitiveDef<N extends PrimitiveNode> extends OpDefBase<N> {
  readonly kind: 'primitive';
  inferShape(inputs: readonly Shape[], node: N): Shape;
  params(inputs: readonly Shape[], node: N, output: Shape): ParamCount;
  /** Multiply-accumulates of conv / dense (0 for every other op). */
  macs(inputs: readonly Shape[], node: N, output: Shape): number;
  /** Element-wise, pooling and normalisation operations, counted apart from MACs. */
  otherOps(inputs: readonly Shape[], node: N, output: Shape): number;
  /** The output is a view of the first input (no new buffer). */
  readonly alias?: boolean;
}

/** A block: expanded into a sub-graph whose node ids start with `<id>/`; the node named `<id>` is its output. */
export interface BlockDef<N extends ArchNode> extends OpDefBase<N> {
  readonly kind: 'block';
  expand(node: N, inputs: readonly Shape[]): readonly ArchNode[];
}

export type OpDef<N extends ArchNode> = N extends PrimitiveNode ? PrimitiveDef<N> : BlockDef<N>;

/** The op catalog type: every op name maps to its description. */
export type OpCatalog = { readonly [K in OpName]: OpDef<NodeOf<K>> };

/** Number of elements of a shape. */
export function numel(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The shape as `[56,56,64]`. */
export function fmt(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

/** The [H, W, C] of a feature map, or a ShapeError naming the op. */
export function hwc(shape: Shape | undefined, op: string): readonly [number, number, number] {
  if (shape === undefined || shape.length !== 3) {
    throw new ShapeError(`${op} expects a feature map [H,W,C], got ${shape === undefined ? 'nothing' : fmt(shape)}`);
  }
  return shape as readonly [number, number, number];
}

/** The single input shape (arity is checked before). */
export function first(inputs: readonly Shape[]): Shape {
  return inputs[0] ?? [];
}

export const noParams = (): ParamCount => ({ trainable: 0, nonTrainable: 0 });
export const zero = (): number => 0;
