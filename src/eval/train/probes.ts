/**
 * Where the diagnostics' activation probes read (docs/training.md, *Diagnostics*): after each
 * ReLU-family activation, after each BatchNorm, and at each block or cell output. Chosen once from the
 * architecture, so the eager and the compiled engine probe the same nodes.
 */
import type { LayersModel } from '@tensorflow/tfjs-node';
import type { ProbeKind } from '../../core/diagnostics.js';
import type { ResolvedArch } from '../../space/resolve.js';

/** A probed node: its id in the resolved architecture, its tfjs layer name, and what it is. */
export type ProbePoint = { readonly node: string; readonly layer: string; readonly kind: ProbeKind };

/** The activations that output exact zeros (leaky ReLU, ELU and the smooth ones never do, so nothing of theirs can be dead). */
const RELU_FAMILY: ReadonlySet<string> = new Set(['relu', 'relu6']);

/**
 * The probes of an architecture, in node order. A block's output is the node under the block's own
 * id (src/space/ops/blocks); outside blocks, an `add` or `concat` is a cell's merge (the NB201 and
 * DARTS cells are plain nodes). A block output is probed as `block` whatever its op; an `identity`
 * has no layer of its own and is not probed.
 */
export function probePoints(arch: ResolvedArch, names: ReadonlyMap<string, string>): ProbePoint[] {
  const points: ProbePoint[] = [];
  for (const { id, node, block } of arch.nodes) {
    if (node.op === 'identity') continue;
    const merge = block === undefined && (node.op === 'add' || node.op === 'concat');
    const kind: ProbeKind | undefined =
      block === id || merge
        ? 'block'
        : node.op === 'bn'
          ? 'bn'
          : node.op === 'act' && RELU_FAMILY.has(node.fn)
            ? 'relu'
            : undefined;
    if (kind !== undefined) points.push({ node: id, layer: names.get(id) as string, kind });
  }
  return points;
}

/** The probes of a built model whose architecture is not known: its ReLU-family activation and BatchNorm layers (no blocks). */
export function modelProbePoints(model: LayersModel): ProbePoint[] {
  const points: ProbePoint[] = [];
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    const relu = (cls === 'Activation' && RELU_FAMILY.has(String(layer.getConfig().activation))) || cls === 'ReLU';
    const kind: ProbeKind | undefined =
      cls === 'BatchNormalization' || cls === 'FusedBatchNorm' ? 'bn' : relu ? 'relu' : undefined;
    if (kind !== undefined && layer.inboundNodes.length === 1)
      points.push({ node: layer.name, layer: layer.name, kind });
  }
  return points;
}
