import type { Shape } from '../../core/arch.js';
import { numel } from '../ops/types.js';
import type { ResolvedArch } from '../resolve.js';

/** One row of the per-layer table (`nas estimate`): a primitive op of the expanded graph. */
export interface LayerRow {
  readonly name: string;
  readonly op: string;
  /** The top-level block it was expanded from. */
  readonly block?: string;
  readonly outputShape: Shape;
  /** Trainable parameters (PyTorch convention). */
  readonly params: number;
  /** Non-trainable parameters (BatchNorm moving statistics). */
  readonly nonTrainableParams: number;
  readonly macs: number;
  readonly otherOps: number;
  /** Bytes of the stored output at the training batch and activation width (0 for views). */
  readonly activationBytes: number;
}

/** The input row followed by one row per primitive; without checkpointing, activation bytes sum to the training activations. */
export function layerTable(arch: ResolvedArch, batch: number, activationBytesPerElement: number): LayerRow[] {
  const bytes = (shape: Shape): number => numel(shape) * batch * activationBytesPerElement;
  const input: LayerRow = {
    name: 'input',
    op: 'input',
    outputShape: arch.inputShape,
    params: 0,
    nonTrainableParams: 0,
    macs: 0,
    otherOps: 0,
    activationBytes: bytes(arch.inputShape),
  };
  return [
    input,
    ...arch.nodes.map((n) => ({
      name: n.id,
      op: n.node.op,
      ...(n.block === undefined ? {} : { block: n.block }),
      outputShape: n.shape,
      params: n.params.trainable,
      nonTrainableParams: n.params.nonTrainable,
      macs: n.macs,
      otherOps: n.otherOps,
      activationBytes: n.alias ? 0 : bytes(n.shape),
    })),
  ];
}
