/**
 * Where quantization-aware training fake-quantizes a network's training graph so that it simulates
 * the full-integer network a deployment derives from it (prepare.ts: BatchNorms folded, separable
 * convolutions split; network.ts: int8 kernels, the activations of the activation plan).
 *
 * The training graph is the unfolded, unsplit network, so each activation the plan quantizes is found
 * in it: the input; a node's output (a producer's with BNs folded into it is the last BN's output);
 * or, for the depthwise half of a split separable conv, the value between its two convolutions.
 * Which BNs fold and how separable convs split depend on the graph only, not on the weights, so the
 * plan made before training names the same activations as the network prepared after it.
 */
import { INPUT_ID } from '../../core/arch.js';
import type { ResolvedArch } from '../../space/resolve.js';
import { foldedStructure } from '../fold.js';
import { activationPlan } from './activation-plan.js';
import { quantizedKernels } from './network.js';
import { splitSeparable } from './split-separable.js';

/** Where one quantized activation is in the training graph. */
export type QatSite =
  | { readonly kind: 'input' }
  | { readonly kind: 'node'; readonly id: string }
  | { readonly kind: 'depthwise'; readonly id: string };

export type QatActivation = {
  /** The activation's id in the prepared network (INPUT_ID or a node id): what its range is keyed by. */
  readonly point: string;
  readonly site: QatSite;
};

export type QatPlan = {
  /** The kernels stored in int8 (`<layer>/<weight>`): fake-quantized per output channel. */
  readonly kernels: ReadonlySet<string>;
  /** Every activation the activation plan quantizes, in the prepared network's order. */
  readonly activations: readonly QatActivation[];
};

export function qatPlan(arch: ResolvedArch): QatPlan {
  const folded = foldedStructure(arch);
  const split = splitSeparable(folded.arch, new Map()).arch;
  const original = new Map([...folded.ids].map(([old, id]) => [id, old]));
  const lastBn = new Map(folded.folded.map(({ bn, into }) => [into, bn]));
  const splitNodes = new Map(split.nodes.map(({ id, node }) => [id, node]));
  const siteOf = (point: string): QatSite => {
    if (point === INPUT_ID) return { kind: 'input' };
    const old = original.get(point);
    if (old !== undefined) return { kind: 'node', id: lastBn.get(old) ?? old };
    // Not a node of the folded network: the depthwise half of a split separable conv, read only by
    // its pointwise half, which keeps the separable conv's id.
    const pointwise = split.nodes.find(
      ({ node }) => node.inputs[0] === point && splitNodes.get(point)?.op === 'dwconv',
    );
    const separable = pointwise === undefined ? undefined : original.get(pointwise.id);
    if (separable === undefined) throw new Error(`bug: activation "${point}" has no place in the training graph`);
    return { kind: 'depthwise', id: separable };
  };
  return {
    kernels: new Set(quantizedKernels(arch).keys()),
    activations: activationPlan(split).points.map((point) => ({ point, site: siteOf(point) })),
  };
}
