import type {
  Activation,
  ActivationNode,
  ArchNode,
  BatchNormNode,
  ConvNode,
  ExplicitPadding,
} from '../../../core/arch.js';
import { FRACTION, opt } from '../attrs.js';
import { ShapeError } from '../types.js';

/** The id of a part inside block `id`. */
export const part = (id: string, name: string): string => `${id}/${name}`;

/** A bias-free convolution (the torchvision default inside blocks), every attribute explicit. */
export function conv(
  id: string,
  input: string,
  filters: number,
  kernel: number,
  o: { stride?: number; padding?: ExplicitPadding; groups?: number; bias?: boolean } = {},
): ConvNode {
  return {
    id,
    op: 'conv',
    inputs: [input],
    filters,
    kernel,
    stride: o.stride ?? 1,
    padding: o.padding ?? 0,
    dilation: 1,
    groups: o.groups ?? 1,
    bias: o.bias ?? false,
  };
}

/** BatchNorm with the catalog's defaults; `affine: false` drops γ and β (DARTS supernets). */
export const bn = (id: string, input: string, affine = true): BatchNormNode => ({
  id,
  op: 'bn',
  inputs: [input],
  ...(affine ? {} : { affine: false }),
});

export const act = (id: string, input: string, fn: Activation): ActivationNode => ({
  id,
  op: 'act',
  inputs: [input],
  fn,
});

/** Symmetric padding that keeps the size of an odd kernel at stride 1. */
export function halfPad(kernel: number): number {
  if (kernel % 2 === 0) throw new ShapeError(`expected an odd kernel (symmetric padding), got ${kernel}`, 'kernel');
  return (kernel - 1) / 2;
}

/** Hidden width of an attention MLP: max(1, floor(C / ratio)). */
export const reduced = (channels: number, ratio: number): number => Math.max(1, Math.floor(channels / ratio));

/** The `dropPath` attribute of a residual block: the drop-path rate of its branch (0: none). */
export const DROP_PATH = opt(FRACTION, 0);

/** A residual branch's drop-path (stochastic depth) on `input`, named `<block>/drop_path`; nothing at rate 0. */
export function branchDropPath(
  block: string,
  input: string,
  rate: number | undefined,
): { nodes: ArchNode[]; output: string } {
  if (rate === undefined || rate === 0) return { nodes: [], output: input };
  const id = part(block, 'drop_path');
  return { nodes: [{ id, op: 'drop_path', inputs: [input], rate }], output: id };
}
