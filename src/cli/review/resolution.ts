// The stride plan and the filter schedule of a network, read from the cost model's per-layer table:
// where the feature map's resolution drops, and how many channels each resolution carries.
import type { LayerRow } from '../../space/cost/index.js';
import { WEIGHT_OPS } from './graph-facts.js';

/** Height × width. */
export type Resolution = readonly [number, number];

/** One drop of the resolution: the layer whose output is first below every earlier one, and its block. */
export interface StrideDrop {
  readonly at: string;
  readonly block: string | null;
  readonly from: Resolution;
  readonly to: Resolution;
}

/** The layers of one resolution: the channels they end with, the widest of them, and their weight layers. */
export interface FilterStage {
  readonly resolution: Resolution;
  readonly channels: number;
  readonly maxChannels: number;
  readonly weightLayers: number;
}

export interface ResolutionPlan {
  readonly input: Resolution;
  readonly drops: readonly StrideDrop[];
  readonly stages: readonly FilterStage[];
}

const spatial = (row: LayerRow): Resolution | undefined =>
  row.outputShape.length === 3 ? [row.outputShape[0] as number, row.outputShape[1] as number] : undefined;
const area = (r: Resolution): number => r[0] * r[1];

/**
 * Walks the table in execution order (its first row is the input); vectors (after global pooling)
 * are not part of the plan. A layer drops the resolution when its output is smaller than every
 * feature map before it, so a branch still at an older resolution neither drops nor raises it. A
 * stage is the layers from one drop to the next, where the block that makes the next drop belongs
 * wholly to the next stage (a bottleneck's 1×1 reduce before its strided 3×3, say).
 */
export function resolutionPlan(layers: readonly LayerRow[]): ResolutionPlan {
  const [first, ...rest] = layers;
  const input = first === undefined ? undefined : spatial(first);
  if (input === undefined) return { input: [1, 1], drops: [], stages: [] };
  const rows = rest.flatMap((row) => (spatial(row) === undefined ? [] : [row]));
  const drops: (StrideDrop & { readonly row: number })[] = [];
  rows.forEach((row, i) => {
    const r = spatial(row) as Resolution;
    const from = drops.at(-1)?.to ?? input;
    if (area(r) < area(from)) drops.push({ at: row.name, block: row.block ?? null, from, to: r, row: i });
  });
  const stages = [input, ...drops.map((d) => d.to)].map((resolution) => ({
    resolution,
    channels: 0,
    maxChannels: 0,
    weightLayers: 0,
  }));
  let stage = 0;
  rows.forEach((row, i) => {
    while (drops[stage]?.row === i) stage++;
    const next = drops[stage];
    const s = stages[next !== undefined && next.block !== null && row.block === next.block ? stage + 1 : stage];
    if (s === undefined) return;
    s.channels = row.outputShape[2] as number;
    s.maxChannels = Math.max(s.maxChannels, s.channels);
    if (WEIGHT_OPS.has(row.op)) s.weightLayers++;
  });
  return { input, drops: drops.map(({ row: _, ...d }) => d), stages: stages.filter((s) => s.maxChannels > 0) };
}

/** How many times the network halves its input's side by its last feature map: log2 of the side ratio (32× → 5). */
export function halvings(plan: ResolutionPlan): number {
  const last = plan.drops.at(-1)?.to ?? plan.input;
  return Math.log2(area(plan.input) / area(last)) / 2;
}
