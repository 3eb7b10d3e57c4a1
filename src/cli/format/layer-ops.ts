// What each diagnosed layer of a trial is: its tfjs layer name (what diagnostics report) read back
// to the node of the trial's resolved architecture, as a short op label.
import type { Json } from '../../core/arch.js';
import { findDataset, resolveDatasetOptions } from '../../backend/data/index.js';
import { layerNames } from '../../eval/build/build-model.js';
import type { ExperimentConfig } from '../../run/config.js';
import type { ResolvedArch, ResolvedNode } from '../../space/resolve.js';
import { createSpace } from '../../space/spaces/index.js';
import { assertArch } from '../../space/validate.js';

/** The layers of a trial's network in node order, each with its op label. */
export type LayerOps = ReadonlyMap<string, string>;

/** Window ops whose kernel size is part of their label. */
const WINDOWED = new Set(['conv', 'dwconv', 'sepconv', 'deconv', 'maxpool', 'avgpool']);

/**
 * The op label of every layer of `sample`'s network, in node order, by tfjs layer name; undefined
 * when the architecture no longer resolves (a space renamed, a data set gone).
 */
export function layerOps(config: ExperimentConfig, sample: Json): LayerOps | undefined {
  let arch: ResolvedArch;
  try {
    const dataset = findDataset(config.dataset.name);
    const options = resolveDatasetOptions(config.dataset.name, config.dataset.options);
    const space = createSpace(config.space.name, config.space.options);
    arch = assertArch(space.freeze(sample as never), {
      inputShape: dataset.shape(options),
      classes: dataset.numClasses(options),
    });
  } catch {
    return undefined;
  }
  const names = layerNames(arch).byNode;
  const blockOps = new Map(arch.spec.nodes.map((n) => [n.id, n.op]));
  return new Map(arch.nodes.map((n) => [names.get(n.id) ?? n.id, opLabel(n, blockOps)]));
}

/**
 * A block's output is labelled with the block's op (`basic`, `bottleneck`), what a collapse is judged
 * on; an activation by its function (`relu`); a window op with its kernel (`conv 3×3`); else the op.
 */
function opLabel({ id, node, block }: ResolvedNode, blockOps: ReadonlyMap<string, string>): string {
  if (block !== undefined && block === id) return blockOps.get(block) ?? node.op;
  if (node.op === 'act') return node.fn;
  if (WINDOWED.has(node.op) && 'kernel' in node) {
    const [h, w] = typeof node.kernel === 'number' ? [node.kernel, node.kernel] : node.kernel;
    return `${node.op} ${h}×${w}`;
  }
  return node.op;
}
