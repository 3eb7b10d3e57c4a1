/**
 * The genotype that relaxation weights point to: DARTS's `genotype()` (Liu et al. 2019,
 * `model_search.py` `_parse`). Weights are softmax(α) in practice; only their order matters.
 */
import type { RelaxationWeights } from '../../search-space.js';
import { CELLS, type DartsConfig, type DartsEdge, type DartsSample } from './genotype.js';

type Rows = readonly (readonly number[])[];

/** Edges of a relaxed cell of B nodes: node k (2..B+1) has an edge from every j < k, so Σ k = B(B+3)/2. */
const relaxedEdgeCount = (nodes: number): number => (nodes * (nodes + 3)) / 2;

/**
 * For each node, the two incoming edges of largest strength (an edge's largest weight over its ops
 * other than `none`; ties: the earlier edge), the stronger first, each with its argmax op other than
 * `none` (ties: the first). Rows are the relaxation's edges j → k, k = 2..B+1, j = 0..k−1; columns
 * are `cfg.relaxed`. Throws a RangeError naming the cell on weights of the wrong shape or a
 * non-finite weight.
 */
export function deriveGenotype(weights: RelaxationWeights, cfg: DartsConfig): DartsSample {
  const candidates = cfg.relaxed.flatMap((op, i) => (op === 'none' ? [] : [i]));
  if (candidates.length === 0)
    throw new RangeError(`darts derive: the relaxed op set [${cfg.relaxed.join(', ')}] has no op besides "none"`);
  checkShape(weights, cfg);
  const cell = (name: (typeof CELLS)[number]): DartsEdge[] => {
    const rows = weights[name] as Rows;
    const edges: DartsEdge[] = [];
    for (let k = 2, start = 0; k < cfg.nodes + 2; start += k, k++)
      edges.push(...deriveNode(rows.slice(start, start + k), candidates, cfg));
    return edges;
  };
  return { normal: cell('normal'), reduce: cell('reduce') };
}

/** The two kept edges of one node, from its k incoming rows (row j is the edge from state j). */
function deriveNode(rows: Rows, candidates: readonly number[], cfg: DartsConfig): DartsEdge[] {
  const edges = rows.map((row, input) => {
    const op = argmax(row, candidates);
    return { input, op, strength: row[op] as number };
  });
  // Array.prototype.sort is stable, so equal strengths keep the earlier edge first (as Python's sorted).
  const kept = [...edges].sort((a, b) => (a.strength > b.strength ? -1 : a.strength < b.strength ? 1 : 0)).slice(0, 2);
  return kept.map(({ op, input }): DartsEdge => [cfg.relaxed[op] as string, input]);
}

/** The column among `candidates` with the largest value; the first on ties. */
function argmax(row: readonly number[], candidates: readonly number[]): number {
  let best = candidates[0] as number;
  for (const c of candidates) if ((row[c] as number) > (row[best] as number)) best = c;
  return best;
}

/** Throws a RangeError naming the cell unless `weights` has exactly the cells of the space, each with one row per edge and one finite weight per relaxed op. */
function checkShape(weights: RelaxationWeights, cfg: DartsConfig): void {
  const unknown = Object.keys(weights).filter((key) => !(CELLS as readonly string[]).includes(key));
  if (unknown.length > 0)
    throw new RangeError(
      `darts derive: unknown cell(s) ${unknown.map((u) => `"${u}"`).join(', ')} in the weights; expected ${CELLS.join(', ')}`,
    );
  const want = relaxedEdgeCount(cfg.nodes);
  const width = `${cfg.relaxed.length} weights (one per op: ${cfg.relaxed.join(', ')})`;
  for (const name of CELLS) {
    const rows: unknown = weights[name];
    if (!Array.isArray(rows) || rows.length !== want) {
      const got = Array.isArray(rows) ? rows.length : rows === undefined ? 'nothing' : JSON.stringify(rows);
      throw new RangeError(
        `darts derive: cell "${name}": expected ${want} rows of weights (one per edge j → k of ${cfg.nodes} nodes), got ${got}`,
      );
    }
    rows.forEach((row: unknown, e) => {
      if (!Array.isArray(row) || row.length !== cfg.relaxed.length) {
        throw new RangeError(
          `darts derive: cell "${name}" row ${e}: expected ${width}, got ${Array.isArray(row) ? row.length : JSON.stringify(row)}`,
        );
      }
      const bad = row.findIndex((w: unknown) => typeof w !== 'number' || !Number.isFinite(w));
      if (bad >= 0)
        throw new RangeError(
          `darts derive: cell "${name}" row ${e} column ${bad}: expected a finite number, got ${String(row[bad])}`,
        );
    });
  }
}
