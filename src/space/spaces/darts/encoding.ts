import type { Dimension } from '../../search-space.js';
import { CELLS, edgeLabel, type DartsConfig, type DartsEdge, type DartsSample } from './genotype.js';

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

/**
 * The decisions, cell after cell and node after node: `op0`, `in0`, `op1`, `in1`, an input being any
 * of the k states before node k. Constraint: in0 ≠ in1. Both edge orders are valid spellings of one
 * node, so there are twice as many valid index vectors per node as architectures.
 */
export function dartsDimensions(cfg: DartsConfig): Dimension[] {
  return CELLS.flatMap((cell) =>
    range(0, 2 * cfg.nodes).flatMap((j) => [
      { label: edgeLabel(cell, j, 'op'), choices: cfg.ops },
      { label: edgeLabel(cell, j, 'in'), choices: range(0, 2 + Math.floor(j / 2)) },
    ]),
  );
}

/** One choice index per decision, edges in the order the sample spells them. */
export function dartsEncode(s: DartsSample, cfg: DartsConfig): number[] {
  return CELLS.flatMap((cell) => s[cell].flatMap(([op, input]) => [cfg.ops.indexOf(op as never), input]));
}

/** The genotype of an index vector; an index out of range, or a node reading one state twice, throws. */
export function dartsDecode(
  indices: readonly number[],
  cfg: DartsConfig,
  dims: readonly Dimension[] = dartsDimensions(cfg),
): DartsSample {
  if (indices.length !== dims.length) throw new RangeError(`expected ${dims.length} decisions, got ${indices.length}`);
  const value = (i: number): string | number => {
    const d = dims[i] as Dimension;
    const v = d.choices[indices[i] as number];
    if (v === undefined)
      throw new RangeError(`${d.label}: expected a choice index in 0..${d.choices.length - 1}, got ${indices[i]}`);
    return v as string | number;
  };
  const [normal, reduce] = CELLS.map((cell, c) => {
    const edges = range(0, 2 * cfg.nodes).map((j): DartsEdge => [
      value(c * 4 * cfg.nodes + 2 * j) as string,
      value(c * 4 * cfg.nodes + 2 * j + 1) as number,
    ]);
    for (let j = 1; j < edges.length; j += 2) {
      const input = (edges[j] as DartsEdge)[1];
      if ((edges[j - 1] as DartsEdge)[1] === input)
        throw new RangeError(`${edgeLabel(cell, j, 'in')}: equals in0 (${input}); a node reads two distinct states`);
    }
    return edges;
  });
  return { normal: normal ?? [], reduce: reduce ?? [] };
}

/** Distinct genotypes: per cell ∏ over nodes k = 2..B+1 of C(k, 2)·|ops|², squared for the two cells. */
export function dartsSize(cfg: DartsConfig): bigint {
  const ops = BigInt(cfg.ops.length);
  const cell = range(2, cfg.nodes + 2).reduce((acc, k) => acc * BigInt((k * (k - 1)) / 2) * ops * ops, 1n);
  return cell * cell;
}
