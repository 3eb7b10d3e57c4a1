/**
 * Which activations a full-integer network holds in 8 bits, and on which grid, as an int8 runtime
 * (TFLite's kernels) arranges them:
 *
 * - `quantized`: the node's output gets its own calibrated range (requantized by its op);
 * - `same-grid`: an op that only moves, picks or drops values (max pools, flatten, crop, identity,
 *   inference dropout and drop-path, zero, nearest upsampling) keeps its input's grid: its values
 *   are already on it, and the runtime gives it the same scale and zero point;
 * - `fused`: a linear op (conv, dwconv, sepconv, dense, add, mul, bn) read only by a ReLU or ReLU6
 *   is fused with it: its int32 accumulator goes straight to the activation, which is requantized.
 */
import { INPUT_ID, type PrimitiveNode } from '../../core/arch.js';
import type { ResolvedArch } from '../../space/resolve.js';

export type ActivationRole =
  { readonly kind: 'quantized' } | { readonly kind: 'same-grid'; readonly grid: string } | { readonly kind: 'fused' };

export type ActivationPlan = {
  readonly roles: ReadonlyMap<string, ActivationRole>;
  /** INPUT_ID and every `quantized` node, in order: the activations calibration measures. */
  readonly points: readonly string[];
  /** The point whose grid a node's (or the input's) values lie on; undefined for a fused node. */
  gridOf(id: string): string | undefined;
};

const FUSES_ACTIVATION: ReadonlySet<string> = new Set(['conv', 'dwconv', 'sepconv', 'dense', 'add', 'mul', 'bn']);

function keepsGrid(node: PrimitiveNode): boolean {
  switch (node.op) {
    case 'maxpool':
    case 'gmp':
    case 'flatten':
    case 'identity':
    case 'crop':
    case 'dropout':
    case 'drop_path':
    case 'zero':
      return true;
    case 'channel_pool':
      return node.fn === 'max';
    case 'upsample':
      return (node.interpolation ?? 'nearest') === 'nearest';
    default:
      return false;
  }
}

export function activationPlan(arch: ResolvedArch): ActivationPlan {
  const readers = new Map<string, PrimitiveNode[]>();
  for (const { node } of arch.nodes)
    for (const ref of node.inputs) readers.set(ref, [...(readers.get(ref) ?? []), node]);
  const outputs = new Set(arch.outputs);
  const roles = new Map<string, ActivationRole>();
  const gridOf = (id: string): string | undefined => {
    if (id === INPUT_ID) return INPUT_ID;
    const role = roles.get(id);
    return role === undefined || role.kind === 'fused' ? undefined : role.kind === 'same-grid' ? role.grid : id;
  };
  for (const { id, node } of arch.nodes) {
    const inputGrid = gridOf(node.inputs[0] as string);
    const read = readers.get(id) ?? [];
    const only = read.length === 1 ? read[0] : undefined;
    if (keepsGrid(node) && inputGrid !== undefined) roles.set(id, { kind: 'same-grid', grid: inputGrid });
    else if (
      FUSES_ACTIVATION.has(node.op) &&
      !outputs.has(id) &&
      only?.op === 'act' &&
      (only.fn === 'relu' || only.fn === 'relu6')
    )
      roles.set(id, { kind: 'fused' });
    else roles.set(id, { kind: 'quantized' });
  }
  const points = [INPUT_ID, ...arch.nodes.filter(({ id }) => roles.get(id)?.kind === 'quantized').map(({ id }) => id)];
  return { roles, points, gridOf };
}
