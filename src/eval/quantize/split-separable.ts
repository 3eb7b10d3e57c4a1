/**
 * Separable convolutions as an int8 runtime runs them: a depthwise conv, then a 1×1 conv (TFLite
 * converts SeparableConv2D so), so the activation between them is quantized like any other and both
 * kernels get their own per-channel scales. The pointwise conv keeps the sepconv's id (its readers are
 * unchanged); the depthwise one is new, `<id>_depthwise`. Same values in float: the compiled
 * sepconv is these two ops.
 */
import type { ArchSpec, PrimitiveNode } from '../../core/arch.js';
import type { ResolvedArch } from '../../space/resolve.js';
import { assertArch } from '../../space/validate.js';
import { layerNames } from '../build/build-model.js';
import type { WeightArray } from '../weights.js';

export type SplitResult = { readonly arch: ResolvedArch; readonly weights: ReadonlyMap<string, WeightArray> };

/** `arch` must be flat (no `<block>/<part>` ids), as foldBatchNorm returns it. */
export function splitSeparable(arch: ResolvedArch, weights: ReadonlyMap<string, WeightArray>): SplitResult {
  if (!arch.nodes.some(({ node }) => node.op === 'sepconv')) return { arch, weights };
  const parts = arch.nodes.filter(({ id }) => id.includes('/')).map(({ id }) => id);
  if (parts.length > 0)
    throw new Error(
      `cannot split separable convolutions of a network with block parts (${parts.slice(0, 3).join(', ')}); fold it first`,
    );
  const ids = new Set(arch.nodes.map(({ id }) => id));
  const depthwiseOf = new Map<string, string>();
  const nodes = arch.nodes.flatMap(({ id, node }): PrimitiveNode[] => {
    if (node.op !== 'sepconv') return [node];
    let dw = `${id}_depthwise`;
    for (let i = 2; ids.has(dw); i++) dw = `${id}_depthwise_${i}`;
    ids.add(dw);
    depthwiseOf.set(id, dw);
    const { kernel, stride, padding, dilation, multiplier } = node;
    return [
      {
        id: dw,
        op: 'dwconv',
        inputs: node.inputs,
        kernel,
        ...(stride === undefined ? {} : { stride }),
        ...(padding === undefined ? {} : { padding }),
        ...(dilation === undefined ? {} : { dilation }),
        ...(multiplier === undefined ? {} : { multiplier }),
        bias: false,
      },
      { id, op: 'conv', inputs: [dw], filters: node.filters, kernel: 1, bias: node.bias ?? true },
    ];
  });
  const output = arch.outputs.length === 1 ? (arch.outputs[0] as string) : [...arch.outputs];
  const spec: ArchSpec = {
    version: 1,
    ...(arch.spec.name === undefined ? {} : { name: arch.spec.name }),
    nodes,
    output,
  };
  const split = assertArch(spec, { inputShape: arch.inputShape });
  const oldNames = layerNames(arch).byNode;
  const newNames = layerNames(split).byNode;
  const out = new Map<string, WeightArray>();
  for (const { id } of arch.nodes) {
    const prefix = `${oldNames.get(id) as string}/`;
    const dw = depthwiseOf.get(id);
    for (const [name, value] of weights) {
      if (!name.startsWith(prefix)) continue;
      const weight = name.slice(prefix.length);
      if (dw !== undefined && weight === 'kernel') out.set(`${newNames.get(dw) as string}/kernel`, value);
      else
        out.set(
          `${newNames.get(id) as string}/${weight === 'pointwise_kernel' && dw !== undefined ? 'kernel' : weight}`,
          value,
        );
    }
  }
  if (out.size !== weights.size) throw new Error(`${weights.size - out.size} weights belong to no node of the network`);
  return { arch: split, weights: out };
}
